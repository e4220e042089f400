import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadRegistry, parseRegistry, RegistryError } from './load-registry';

/** A public Ed25519 JWK as `infrared keygen` prints it (the values only need the right shape here). */
const publicKey = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'kid-kafshata-1', alg: 'EdDSA', use: 'sig' };

const REGISTRY = `
network:
  id: infrared
  name: InfraRed
members:
  - id: kafshata
    name: Kafshata Kolektiv
    region: Balkans
    countries: [AL, XK]
    languages: [sq, en]
    website: https://kafshata.example
    description:
      sq: Kolektiv feminist nga Tirana.
      en: Feminist collective from Tirana.
    url: https://graph.kafshata.example/graphql
    keys:
      - { kty: OKP, crv: Ed25519, x: 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo, kid: kid-kafshata-1, alg: EdDSA, use: sig }
    deadlineMs: 2500
    revocations:
      jti: [0b8f3e52-revoked]
      issuedBefore: 2025-01-01T00:00:00Z
  - id: nodo-sur
    name: Nodo Sur Cooperativa
    region: Latin America
    url: http://nodo-sur.internal:4002/graphql
gateways:
  - id: infrared-gateway
    keys: []
`;

/** The example as an object, to break one thing at a time. */
function registry(): Record<string, any> {
  return {
    network: { id: 'infrared', name: 'InfraRed' },
    members: [
      { id: 'kafshata', name: 'Kafshata Kolektiv', region: 'Balkans', url: 'https://graph.kafshata.example/graphql', keys: [{ ...publicKey }] },
      { id: 'nodo-sur', name: 'Nodo Sur Cooperativa', region: 'Latin America', url: 'http://nodo-sur.internal:4002/graphql' },
    ],
    gateways: [{ id: 'infrared-gateway', keys: [] }],
  };
}

function problemsOf(text: string): string[] {
  try {
    parseRegistry(text, 'network.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('INVALID_REGISTRY');
    return (err as RegistryError).problems.map(withoutLocation);
  }
  throw new Error('expected the registry to be refused');
}

/** A problem without its ` (line L, column C)` suffix (checked on its own below). */
const withoutLocation = (problem: string) => problem.replace(/ \(line \d+, column \d+\)$/, '');

describe('parseRegistry: the documented shape', () => {
  it('accepts a full registry and fills in defaults', () => {
    const parsed = parseRegistry(REGISTRY);
    expect(parsed.network).toEqual({ id: 'infrared', name: 'InfraRed' });
    expect(parsed.members.map((m) => m.id)).toEqual(['kafshata', 'nodo-sur']);
    const [kafshata, nodoSur] = parsed.members;
    expect(kafshata).toMatchObject({
      countries: ['AL', 'XK'],
      languages: ['sq', 'en'],
      website: 'https://kafshata.example',
      description: { sq: 'Kolektiv feminist nga Tirana.', en: 'Feminist collective from Tirana.' },
      url: 'https://graph.kafshata.example/graphql',
      keys: [publicKey],
      deadlineMs: 2500,
    });
    expect(kafshata.revocations.jti).toEqual(['0b8f3e52-revoked']);
    expect(kafshata.revocations.issuedBefore).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(nodoSur).toEqual({
      id: 'nodo-sur',
      name: 'Nodo Sur Cooperativa',
      region: 'Latin America',
      url: 'http://nodo-sur.internal:4002/graphql',
      countries: [],
      languages: [],
      keys: [],
      revocations: { jti: [] },
    });
    expect(parsed.gateways).toEqual([{ id: 'infrared-gateway', keys: [] }]);
  });

  it('accepts the same registry written as JSON', () => {
    expect(parseRegistry(JSON.stringify(registry())).members.map((m) => m.id)).toEqual(['kafshata', 'nodo-sur']);
  });

  it('accepts a registry with no members or gateways yet', () => {
    expect(parseRegistry('network: { id: infrared, name: InfraRed }')).toEqual({
      network: { id: 'infrared', name: 'InfraRed' },
      version: 0,
      threshold: 'majority',
      signatures: [],
      members: [],
      gateways: [],
    });
  });

  it('loads a registry file, and names the file when it is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
    try {
      const good = join(dir, 'network.yaml');
      writeFileSync(good, REGISTRY);
      expect((await loadRegistry(good)).members).toHaveLength(2);
      const bad = join(dir, 'broken.yaml');
      writeFileSync(bad, 'network: { id: infrared }\n');
      await expect(loadRegistry(bad)).rejects.toThrow(`${bad}: network.name:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseRegistry: refusals name the path', () => {
  const cases: [string, (r: Record<string, any>) => void, string][] = [
    ['a duplicate member id', (r) => (r.members[1].id = 'kafshata'), 'members[1].id: duplicate member id "kafshata"'],
    ['a bad member id', (r) => (r.members[1].id = 'Nodo Sur'), 'members[1].id: expected a member id: lowercase letters, digits and "-"'],
    ['a member id with a colon', (r) => (r.members[0].id = 'kafshata:x'), 'members[0].id: expected a member id: lowercase letters, digits and "-"'],
    ['a private key pasted into keys', (r) => (r.members[0].keys[0].d = 'c2VjcmV0LXByaXZhdGUtcGFydA'), 'members[0].keys[0]: a private key was pasted into the registry: pin only the public half'],
    ['a private key pasted into a gateway', (r) => (r.gateways[0].keys = [{ ...publicKey, d: 'secret' }]), 'gateways[0].keys[0]: a private key was pasted into the registry: pin only the public half'],
    ['an unknown top-level key', (r) => (r.extra = true), '(file): unknown key "extra"'],
    ['an unknown member key', (r) => (r.members[1].colour = 'red'), 'members[1]: unknown key "colour"'],
    ['a URL that is not a URL', (r) => (r.members[1].url = 'not a url'), 'members[1].url: expected an http(s) URL'],
    ['a URL that is not http(s)', (r) => (r.members[0].url = 'ftp://graph.kafshata.example/'), 'members[0].url: expected an http(s) URL'],
    ['a bad website', (r) => (r.members[0].website = 'javascript:alert(1)'), 'members[0].website: expected an http(s) URL'],
    ['a bad country code', (r) => (r.members[0].countries = ['AL', 'alb']), 'members[0].countries[1]: expected an ISO 3166-1 alpha-2 code such as "AR"'],
    ['a bad language tag', (r) => (r.members[0].languages = ['en', 'english!']), 'members[0].languages[1]: expected a BCP 47 language tag'],
    ['a deadline over a minute', (r) => (r.members[0].deadlineMs = 120_000), 'members[0].deadlineMs: Too big: expected number to be <=60000'],
    ['a missing network name', (r) => delete r.network.name, 'network.name: required'],
    ['an unknown key type', (r) => (r.members[0].keys[0].kty = 'RSA'), 'members[0].keys[0].kty: expected one of OKP, EC; got "RSA"'],
    ['a bad revocation date', (r) => (r.members[0].revocations = { issuedBefore: 'yesterday' }), 'members[0].revocations.issuedBefore: expected an ISO date-time'],
  ];

  it.each(cases)('%s', (_name, breakIt, message) => {
    const r = registry();
    breakIt(r);
    expect(problemsOf(stringify(r))).toEqual([message]);
  });

  it('lists every problem at once, in the message too', () => {
    const r = registry();
    r.members[0].url = 'nope';
    r.members[1].id = 'Bad';
    r.extra = 1;
    const problems = problemsOf(stringify(r));
    expect(problems).toEqual(
      expect.arrayContaining(['members[0].url: expected an http(s) URL', 'members[1].id: expected a member id: lowercase letters, digits and "-"', '(file): unknown key "extra"']),
    );
    expect(problems).toHaveLength(3);
    expect(() => parseRegistry(stringify(r), 'network.yaml')).toThrow(/^network\.yaml: .*members\[0\]\.url: expected an http\(s\) URL \(line \d+, column \d+\); /);
  });

  it('reports a duplicate id even when another member is invalid in its shape', () => {
    const r = registry();
    r.members[1].id = 'kafshata';
    r.members[1].deadlineMs = 'soon';
    r.members.push('not a member');
    expect(problemsOf(stringify(r)).sort()).toEqual([
      'members[1].deadlineMs: expected number, received string',
      'members[1].id: duplicate member id "kafshata"',
      'members[2]: expected object, received string',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('network:\n  id: infrared\n  name: [unclosed\nmembers: []\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^line \d+: /);
  });

  it('refuses a key written twice (YAML duplicate keys)', () => {
    const problems = problemsOf('network: { id: infrared, name: A }\nnetwork: { id: other, name: B }\n');
    expect(problems).toEqual([expect.stringMatching(/^line 2: .*[Dd]uplicate|^line 2: .*unique/)]);
  });

  it('names the line and column of each problem, and the value given for an enum', () => {
    const text =
      'network: { id: infrared, name: InfraRed }\nmembers:\n  - id: kafshata\n    name: Kafshata\n    region: Balkans\n    url: nope\n    keys:\n      - { kty: RSA, kid: k1, crv: Ed25519, x: abc }\n';
    expect(() => parseRegistry(text)).toThrow(RegistryError);
    try {
      parseRegistry(text);
    } catch (err) {
      expect((err as RegistryError).problems).toEqual([
        'members[0].url: expected an http(s) URL (line 6, column 10)',
        'members[0].keys[0].kty: expected one of OKP, EC; got "RSA" (line 8, column 16)',
      ]);
    }
  });

  it('refuses an empty file for its missing network', () => {
    expect(problemsOf('')).toEqual(['network: required']);
  });
});
