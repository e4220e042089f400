import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { DataFileError, formatSummary, importMemberData, parseMemberData, writeMemberData, type Counts, type ImportSummary } from '../../subgraphs/member/src/import/import-member-data';
import type { MemberData } from '../../subgraphs/member/src/import/member-data.schema';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const DEMO_FILE = join(__dirname, '../../demo/members/kafshata.yaml');
const DEMO = readFileSync(DEMO_FILE, 'utf8');
const MEMBER = 'kafshata';

/** The demo file as an object, to change one thing and write it back as YAML. */
const demo = (): Record<string, any> => parse(DEMO);

/** A problem without its ` (line L, column C)` suffix (test/import/data-file-errors.test.ts checks those). */
const withoutLocation = (problem: string) => problem.replace(/ \(line \d+, column \d+\)$/, '');

const counts = (c: Partial<Counts>): Counts => ({ created: 0, updated: 0, unchanged: 0, removed: 0, kept: 0, ...c });

/** The parts of a summary the demo file is about (the summary may count other kinds of records too). */
const core = ({ services, capacity, projects }: ImportSummary) => ({ services, capacity, projects });
const coreLines = (summary: ImportSummary) => formatSummary(summary).filter((l) => /^(services|capacity|projects): /.test(l));

function problemsOf(source: string, member = MEMBER): string[] {
  try {
    parseMemberData(source, member);
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return (err as DataFileError).problems;
  }
  throw new Error('expected the file to be refused');
}

describe('member data import (real database)', () => {
  let orm: MikroORM;
  const schema = uniqueSchema(MEMBER);

  const rows = (table: 'service' | 'capacity' | 'project') => orm.em.getConnection().execute<Record<string, unknown>[]>(`select * from "${schema}"."${table}" order by id`);
  const ids = async (table: 'service' | 'capacity' | 'project') => (await rows(table)).map((r) => r.id);
  const snapshot = async () => ({ service: await rows('service'), capacity: await rows('capacity'), project: await rows('project') });

  beforeAll(async () => {
    orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 3 }, quietLogger());
  });

  beforeEach(async () => {
    await orm.em.getConnection().execute(`truncate "${schema}"."capacity", "${schema}"."service", "${schema}"."project"`);
  });

  afterAll(async () => {
    // the schema is dropped by the global teardown (see test/support/global-teardown.ts)
    await orm.close(true);
  });

  it('imports the demo file: every service, capacity and project', async () => {
    const progress: string[] = [];
    const summary = await importMemberData(orm, MEMBER, DEMO, { onProgress: (m) => progress.push(m) });
    expect(core(summary)).toEqual({ services: counts({ created: 5 }), capacity: counts({ created: 8 }), projects: counts({ created: 3 }) });
    expect(coreLines(summary)).toEqual([
      'services: 5 created, 0 updated, 0 unchanged, 0 removed',
      'capacity: 8 created, 0 updated, 0 unchanged, 0 removed',
      'projects: 3 created, 0 updated, 0 unchanged, 0 removed',
    ]);
    expect(progress.slice(0, 3)).toEqual(['services: 5 in file', 'capacity: 8 in file', 'projects: 3 in file']);
    expect(await ids('service')).toEqual(['admin-cloud', 'hosting', 'incident-list', 'mail', 'partner-jitsi']);
    expect(await ids('project')).toEqual(['safety-clinics', 'shared-backup', 'sysadmin-mentoring']);
    const capacity = await rows('capacity');
    expect(capacity).toHaveLength(8);
    expect(capacity.find((c) => c.id === 'mail-accounts')).toMatchObject({
      service_id: 'mail',
      resource: 'ACCOUNTS',
      total: 5000,
      used: 4200,
      visibility: 'PUBLIC',
      numbers_visibility: 'NETWORK',
    });
    const jitsi = (await rows('service')).find((s) => s.id === 'partner-jitsi')!;
    expect(jitsi).toMatchObject({ kind: 'VIDEO_CONFERENCING', visibility: 'MEMBERS', shared_with: ['nodo-sur'], languages: ['sq', 'en', 'es'], accepting_users: true });
    expect(jitsi.description).toEqual(demo().services[3].description);
    const backup = (await rows('project')).find((p) => p.id === 'shared-backup')!;
    expect(backup).toMatchObject({ area: 'SHARED_INFRASTRUCTURE', invited: ['nodo-sur'] });
    expect(new Date(backup.started_at as string).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  it('is idempotent: a re-import changes nothing and creates nothing', async () => {
    await importMemberData(orm, MEMBER, DEMO);
    const before = await snapshot();
    const summary = await importMemberData(orm, MEMBER, DEMO);
    expect(core(summary)).toEqual({ services: counts({ unchanged: 5 }), capacity: counts({ unchanged: 8 }), projects: counts({ unchanged: 3 }) });
    expect(await snapshot()).toEqual(before);
  });

  it('does not see a change where translations are only written in another order', async () => {
    await importMemberData(orm, MEMBER, DEMO);
    const file = demo();
    const { sq, en, es } = file.services[0].description;
    file.services[0].description = { es, en, sq };
    const summary = await importMemberData(orm, MEMBER, stringify(file));
    expect(summary.services).toEqual(counts({ unchanged: 5 }));
  });

  it('updates exactly the one record whose field changed', async () => {
    await importMemberData(orm, MEMBER, DEMO);
    const before = await snapshot();
    const file = demo();
    file.services[1].name = 'Feminist web hosting (new)';
    file.services[0].capacity[1].used = 1400;
    const summary = await importMemberData(orm, MEMBER, stringify(file));
    expect(core(summary)).toEqual({ services: counts({ updated: 1, unchanged: 4 }), capacity: counts({ updated: 1, unchanged: 7 }), projects: counts({ unchanged: 3 }) });
    const after = await snapshot();
    expect(after.service.find((s) => s.id === 'hosting')!.name).toBe('Feminist web hosting (new)');
    expect(after.capacity.find((c) => c.id === 'mail-storage')!.used).toBe(1400);
    // every other row is exactly as it was
    expect(after.service.filter((s) => s.id !== 'hosting')).toEqual(before.service.filter((s) => s.id !== 'hosting'));
    expect(after.capacity.filter((c) => c.id !== 'mail-storage')).toEqual(before.capacity.filter((c) => c.id !== 'mail-storage'));
    expect(after.project).toEqual(before.project);
  });

  describe('records absent from the file', () => {
    /** The demo without the admin-cloud service (and its capacity) and without one project. */
    const smaller = () => {
      const file = demo();
      file.services = file.services.filter((s: { id: string }) => s.id !== 'admin-cloud');
      file.projects = file.projects.filter((p: { id: string }) => p.id !== 'sysadmin-mentoring');
      return stringify(file);
    };

    it('are kept, and reported as kept, without --prune', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const summary = await importMemberData(orm, MEMBER, smaller());
      expect(core(summary)).toEqual({
        services: counts({ unchanged: 4, kept: 1 }),
        capacity: counts({ unchanged: 7, kept: 1 }),
        projects: counts({ unchanged: 2, kept: 1 }),
      });
      expect(coreLines(summary)).toEqual([
        'services: 0 created, 0 updated, 4 unchanged, 0 removed, 1 kept (not in file; use --prune to remove)',
        'capacity: 0 created, 0 updated, 7 unchanged, 0 removed, 1 kept (not in file; use --prune to remove)',
        'projects: 0 created, 0 updated, 2 unchanged, 0 removed, 1 kept (not in file; use --prune to remove)',
      ]);
      expect(await ids('service')).toContain('admin-cloud');
      expect(await ids('capacity')).toContain('admin-cloud-storage');
      expect(await ids('project')).toContain('sysadmin-mentoring');
    });

    it('are removed with --prune, their capacity too', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const summary = await importMemberData(orm, MEMBER, smaller(), { prune: true });
      expect(core(summary)).toEqual({
        services: counts({ unchanged: 4, removed: 1 }),
        capacity: counts({ unchanged: 7, removed: 1 }),
        projects: counts({ unchanged: 2, removed: 1 }),
      });
      expect(await ids('service')).toEqual(['hosting', 'incident-list', 'mail', 'partner-jitsi']);
      expect(await ids('capacity')).not.toContain('admin-cloud-storage');
      expect(await ids('capacity')).toHaveLength(7);
      expect(await ids('project')).toEqual(['safety-clinics', 'shared-backup']);
    });

    it('with --prune and an empty file, removes everything and counts it', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const summary = await importMemberData(orm, MEMBER, `member: ${MEMBER}\n`, { prune: true });
      expect(core(summary)).toEqual({ services: counts({ removed: 5 }), capacity: counts({ removed: 8 }), projects: counts({ removed: 3 }) });
      expect(await snapshot()).toEqual({ service: [], capacity: [], project: [] });
    });

    it('with --prune, keeps capacity that moves off a removed service', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const file = demo();
      const [adminCloud] = file.services.splice(4, 1);
      file.capacity = [adminCloud.capacity[0]];
      const summary = await importMemberData(orm, MEMBER, stringify(file), { prune: true });
      expect(summary.services).toEqual(counts({ unchanged: 4, removed: 1 }));
      expect(summary.capacity).toEqual(counts({ unchanged: 7, updated: 1 }));
      expect((await rows('capacity')).find((c) => c.id === 'admin-cloud-storage')).toMatchObject({ service_id: null, total: 500 });
    });

    it('with --prune, removes loose capacity no longer in the file', async () => {
      const file = demo();
      file.capacity = [{ id: 'loose-disk', resource: 'STORAGE_GB', total: 10, used: 1, visibility: 'PUBLIC' }];
      await importMemberData(orm, MEMBER, stringify(file));
      expect(await ids('capacity')).toContain('loose-disk');
      const summary = await importMemberData(orm, MEMBER, DEMO, { prune: true });
      expect(summary.capacity).toEqual(counts({ unchanged: 8, removed: 1 }));
      expect(await ids('capacity')).not.toContain('loose-disk');
    });
  });

  describe('a bad file', () => {
    /** Three problems at once: an unknown kind, a duplicate id and more used than total. */
    const broken = () => {
      const file = demo();
      file.services[2].kind = 'NOPE';
      file.services[3].id = 'mail';
      file.services[0].capacity[0].used = 6000;
      return stringify(file);
    };

    it('reports every problem with its path', () => {
      const problems = problemsOf(broken()).map(withoutLocation);
      expect(problems).toHaveLength(3);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^services\[2\]\.kind: expected one of EMAIL, /),
          'services[3].id: duplicate service id "mail" (first at services[0])',
          'services[0].capacity[0].used: must not exceed total (5000)',
        ]),
      );
      expect(problems.find((p) => p.startsWith('services[2].kind'))).toBe(
        'services[2].kind: expected one of EMAIL, WEB_HOSTING, VPN, CLOUD_STORAGE, CHAT, VIDEO_CONFERENCING, MAILING_LIST, DNS, BACKUP, GIT_HOSTING, DDOS_PROTECTION, SOCIAL_MEDIA, DOCUMENTS, OTHER; got "NOPE"',
      );
    });

    it('still finds duplicates when some records are not records at all', () => {
      const file = demo();
      file.services[1] = 'not a service';
      file.services[2].id = 'mail';
      file.services[0].capacity[1] = 42;
      file.capacity = [{ ...file.services[3].capacity[0] }];
      expect(problemsOf(stringify(file)).map(withoutLocation).sort()).toEqual([
        'capacity[0].id: duplicate capacity id "jitsi-bandwidth" (first at services[3].capacity[0])',
        'services[0].capacity[1]: expected object, received number',
        'services[1]: expected object, received string',
        'services[2].id: duplicate service id "mail" (first at services[0])',
      ]);
    });

    it('writes nothing', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const before = await snapshot();
      const failed = importMemberData(orm, MEMBER, broken(), { prune: true });
      await expect(failed).rejects.toThrow(DataFileError);
      await expect(failed).rejects.toThrow(/^the data file has 3 problems:\n {2}services/);
      expect(await snapshot()).toEqual(before);
    });

    it('rolls back everything already written when the database refuses a later row', async () => {
      await importMemberData(orm, MEMBER, DEMO);
      const before = await snapshot();
      // skips validation on purpose: the database itself refuses the negative total
      const data = parseMemberData(DEMO, MEMBER);
      data.services[1].name = 'renamed before the failure';
      data.projects = [];
      data.capacity = [{ ...data.services[0].capacity[0], id: 'negative', total: -1, used: 0 }];
      await expect(writeMemberData(orm, data as MemberData, { prune: true })).rejects.toThrow(/capacity|check|constraint/i);
      expect(await snapshot()).toEqual(before);
    });

    it('is refused when it is for another member', async () => {
      expect(problemsOf(DEMO, 'nodo-sur')).toEqual(['member: the file is for "kafshata", but this subgraph is "nodo-sur" (line 1, column 9)']);
      await expect(importMemberData(orm, 'nodo-sur', DEMO)).rejects.toThrow(DataFileError);
      expect(await ids('service')).toEqual([]);
    });

    it.each([
      ['an unclosed flow sequence', 'member: kafshata\nservices:\n  - id: mail\n    name: [unclosed\n  - id: web\n', /^line \d+: Flow sequence/],
      ['a key written twice', 'member: kafshata\nmember: kafshata\n', /^line 2: Map keys must be unique/],
    ])('names the line of a YAML syntax error (%s)', (_name, source, pattern) => {
      const problems = problemsOf(source);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(pattern);
    });

    it.each([
      ['a list that is not a list', 'member: kafshata\nservices: 5\n', ['services: expected array, received number (line 2, column 11)']],
      ['a file that is a list', '- a\n- b\n', ['(file): expected object, received array (line 1, column 1)']],
      ['an unknown key', 'member: kafshata\nservice: []\n', ['(file): unknown key "service" (line 2, column 1)']],
      [
        'a service shared with its own member',
        `member: kafshata\nservices:\n  - { id: a, name: A, kind: DNS, status: OPERATIONAL, acceptingUsers: true, visibility: MEMBERS, sharedWith: [kafshata] }\n`,
        ['services[0].sharedWith: must not list the member itself (the owner always sees its records) (line 3, column 110)'],
      ],
    ])('names the path of a structural problem (%s)', (_name, source, expected) => {
      expect(problemsOf(source)).toEqual(expected);
    });
  });
});
