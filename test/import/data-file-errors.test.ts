import { DataFileError, parseMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { lines, runCli } from '../support/cli';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function problemsOf(source: string): string[] {
  try {
    parseMemberData(source, 'kafshata');
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return (err as DataFileError).problems;
  }
  throw new Error('expected the file to be refused');
}

// line and column of each problem, counted by hand (1-based)
const FILE = `member: kafshata
services:
  - id: mail
    name: Kafshata Mail
    kind: MAIL
    status: OPERATIONAL
    visibility: PUBLIC
    colour: red
incidents:
  - id: ddos
    kind: DDOS
    severity: HIGH
    observedAt: 2026-01-14T03:20:00Z
    indicators:
      - { type: IP, value: 300.1.1.1 }
      - { type: IPV4, value: 203.0.113.7 }
`;

describe('data-file problems name their line and column', () => {
  const problems = problemsOf(FILE);

  it('a wrong enum value says what was given and what is allowed, at the value', () => {
    expect(problems).toContain(
      'services[0].kind: expected one of EMAIL, WEB_HOSTING, VPN, CLOUD_STORAGE, CHAT, VIDEO_CONFERENCING, MAILING_LIST, DNS, BACKUP, GIT_HOSTING, DDOS_PROTECTION, SOCIAL_MEDIA, DOCUMENTS, OTHER; got "MAIL" (line 5, column 11)',
    );
    expect(problems).toContain('incidents[0].indicators[1].type: expected one of IP, CIDR, DOMAIN, URL, EMAIL, HASH, ASN; got "IPV4" (line 16, column 17)');
  });

  it('a missing field says "required", at the record that lacks it', () => {
    expect(problems).toContain('services[0].acceptingUsers: required (line 3, column 5)');
    expect(problems.join('\n')).not.toMatch(/received undefined/);
  });

  it('an unknown key points at the key', () => {
    expect(problems).toContain('services[0]: unknown key "colour" (line 8, column 5)');
  });

  it('a bad value inside a flow mapping points at the value', () => {
    expect(problems).toContain('incidents[0].indicators[0].value: "300.1.1.1" is not an IPv4 or IPv6 address (line 15, column 28)');
  });

  it('lists nothing else', () => {
    expect(problems).toHaveLength(5);
  });

  it('works for JSON files too', () => {
    const json = '{\n  "member": "kafshata",\n  "projects": [\n    { "id": "p", "name": "P", "area": "ELSEWHERE", "status": "ACTIVE", "visibility": "NETWORK" }\n  ]\n}\n';
    expect(problemsOf(json)).toEqual(['projects[0].area: expected one of SOLIDARITY, MOVEMENT_ENGAGEMENT, TECHNOLOGY_PLATFORM, SHARED_INFRASTRUCTURE; got "ELSEWHERE" (line 4, column 39)']);
  });

  it('cuts a long given value short', () => {
    const long = 'X'.repeat(500);
    const [problem] = problemsOf(`member: kafshata\nprojects:\n  - { id: p, name: P, area: ${long}, status: ACTIVE, visibility: NETWORK }\n`);
    expect(problem).toMatch(/; got "X{56}… \(line 3, column 29\)$/);
  });
});

describe('infrared check shows them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infrared-data-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with line and column, exit 2', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, FILE);
    const result = await runCli(['check', file]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual(expect.arrayContaining([`error: ${file}: 5 problems:`, '  services[0].acceptingUsers: required (line 3, column 5)']));
  }, 60_000);
});

describe('every kind of record: duplicate ids and self-sharing are refused', () => {
  const FILE_WITH_DUPLICATES = `member: kafshata
incidents:
  - { id: ddos, kind: DDOS, severity: HIGH, observedAt: 2026-01-14T03:20:00Z }
  - { id: ddos, kind: PHISHING, severity: LOW, observedAt: 2026-01-15T03:20:00Z, visibility: MEMBERS, sharedWith: [kafshata] }
supportOffers:
  - { id: train, kind: TRAINING, title: Training, visibility: PUBLIC }
  - { id: train, kind: HOSTING, title: Hosting, visibility: PUBLIC }
supportNeeds:
  - { id: funds, kind: FUNDING, title: Funds, visibility: NETWORK }
  - { id: funds, kind: FUNDING, title: More funds, visibility: NETWORK }
participations:
  - { projectId: "dunya:backup" }
  - { projectId: "dunya:backup", role: host }
`;

  it('names each duplicate with the first one, for incidents, support offers and needs, and participations', () => {
    expect(
      problemsOf(FILE_WITH_DUPLICATES)
        .map((p) => p.replace(/ \(line \d+, column \d+\)$/, ''))
        .sort(),
    ).toEqual([
      'incidents[1].id: duplicate incident id "ddos" (first at incidents[0])',
      'incidents[1].sharedWith: must not list the member itself (the owner always sees its records)',
      'participations[1].projectId: duplicate participation id "dunya:backup" (first at participations[0])',
      'supportNeeds[1].id: duplicate support need id "funds" (first at supportNeeds[0])',
      'supportOffers[1].id: duplicate support offer id "train" (first at supportOffers[0])',
    ]);
  });
});
