/**
 * The `trainings:` part of the member data file against a real database: import, validation with
 * paths, duplicate ids, export and re-import.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { exportMemberData, toYaml } from '../../subgraphs/member/src/import/export-member-data';
import { DataFileError, importMemberData, parseMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const MEMBER = 'kafshata';
const DEMO = readFileSync(join(__dirname, '../../demo/members/kafshata.yaml'), 'utf8');
const counts = (c: Record<string, number>) => ({ created: 0, updated: 0, unchanged: 0, removed: 0, kept: 0, ...c });

function problemsOf(source: string): string[] {
  try {
    parseMemberData(source, MEMBER);
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return (err as DataFileError).problems.map((p) => p.replace(/ \(line \d+, column \d+\)$/, ''));
  }
  throw new Error('expected the file to be refused');
}

describe('trainings in the member data file', () => {
  let orm: MikroORM;
  const schema = uniqueSchema(MEMBER);
  const rows = (table: 'training' | 'participation') => orm.em.getConnection().execute<Record<string, any>[]>(`select * from "${schema}"."${table}" order by 1`);

  beforeAll(async () => {
    orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 3 }, quietLogger());
  });
  beforeEach(async () => {
    await orm.em.getConnection().execute(`truncate "${schema}"."training", "${schema}"."participation"`);
  });
  afterAll(async () => {
    // the schema is dropped by the global teardown
    await orm.close(true);
  });

  it('imports the demo trainings with every field, and a re-import changes nothing', async () => {
    const first = await importMemberData(orm, MEMBER, DEMO);
    expect(first.trainings).toEqual(counts({ created: 2 }));
    const trainings = await rows('training');
    expect(trainings.map((t) => t.id)).toEqual(['mail-admin-mentoring', 'safety-clinic-tirana-2027-01']);
    const clinic = trainings.find((t) => t.id === 'safety-clinic-tirana-2027-01')!;
    expect(clinic).toMatchObject({ title: 'Digital safety clinic in Tirana', format: 'IN_PERSON', region: 'Balkans', languages: ['sq'], seats: 12, visibility: 'PUBLIC', shared_with: [] });
    expect(new Date(clinic.starts_at).toISOString()).toBe('2027-01-16T08:00:00.000Z');
    expect(new Date(clinic.ends_at).toISOString()).toBe('2027-01-16T12:00:00.000Z');
    expect(Object.keys(clinic.description).sort()).toEqual(['en', 'es', 'sq']);
    const mentoring = trainings.find((t) => t.id === 'mail-admin-mentoring')!;
    expect(mentoring).toMatchObject({ format: 'ONLINE', region: null, seats: 3, visibility: 'NETWORK' });

    const again = await importMemberData(orm, MEMBER, DEMO);
    expect(again.trainings).toEqual(counts({ unchanged: 2 }));
    expect(again.participations).toEqual(counts({ unchanged: 4 }));
  });

  it('updates the one training whose field changed; --prune removes one no longer in the file', async () => {
    await importMemberData(orm, MEMBER, DEMO);
    const file = parse(DEMO);
    file.trainings[0].seats = 14;
    file.trainings = file.trainings.slice(0, 1);
    const kept = await importMemberData(orm, MEMBER, stringify(file));
    expect(kept.trainings).toEqual(counts({ updated: 1, kept: 1 }));
    const pruned = await importMemberData(orm, MEMBER, stringify(file), { prune: true });
    expect(pruned.trainings).toEqual(counts({ unchanged: 1, removed: 1 }));
    expect((await rows('training')).map((t) => [t.id, t.seats])).toEqual([['safety-clinic-tirana-2027-01', 14]]);
  });

  it('what `member export` writes imports again unchanged, for every kind, and exports the same file', async () => {
    await importMemberData(orm, MEMBER, DEMO);
    const exported = await exportMemberData(orm, MEMBER);
    expect((exported.trainings as Record<string, unknown>[]).map((t) => t.id)).toEqual(['mail-admin-mentoring', 'safety-clinic-tirana-2027-01']);
    expect((exported.trainings as Record<string, unknown>[])[1]).toEqual({
      id: 'safety-clinic-tirana-2027-01',
      title: 'Digital safety clinic in Tirana',
      description: parse(DEMO).trainings[0].description,
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: '2027-01-16T08:00:00.000Z',
      endsAt: '2027-01-16T12:00:00.000Z',
      seats: 12,
      visibility: 'PUBLIC',
      sharedWith: [],
    });
    const yaml = toYaml(exported);
    const summary = await importMemberData(orm, MEMBER, yaml);
    for (const [kind, c] of Object.entries(summary)) expect([kind, c.created + c.updated + c.removed]).toEqual([kind, 0]);
    expect(toYaml(await exportMemberData(orm, MEMBER))).toBe(yaml);
  });

  it('refuses bad trainings, each problem at its path, and duplicate ids with the first one', () => {
    const problems = problemsOf(`member: kafshata
trainings:
  - { id: clinic, title: Clinic, format: IN_PERSON, startsAt: 2027-01-16T09:00:00Z, visibility: PUBLIC }
  - { id: clinic, title: Clinic again, format: ONLINE, startsAt: 2027-01-16T09:00:00Z, visibility: PUBLIC }
  - { id: late, title: Late, format: ONLINE, startsAt: 2027-01-16T09:00:00Z, endsAt: 2027-01-15T09:00:00Z, visibility: PUBLIC }
  - { id: seats, title: Seats, format: ONLINE, startsAt: 2027-01-16T09:00:00Z, seats: 2.5, visibility: PUBLIC }
  - { id: none, title: None, format: HYBRID, startsAt: soon, visibility: MEMBERS, sharedWith: [kafshata] }
`);
    expect(problems.sort()).toEqual(
      [
        'trainings[0].region: an IN_PERSON training needs a region (where it happens)',
        'trainings[1].id: duplicate training id "clinic" (first at trainings[0])',
        'trainings[2].endsAt: must not be before startsAt',
        'trainings[3].seats: must be a whole number',
        'trainings[4].format: expected one of ONLINE, IN_PERSON; got "HYBRID"',
        'trainings[4].startsAt: expected a date such as 2025-03-01',
        'trainings[4].sharedWith: must not list the member itself (the owner always sees its records)',
      ].sort(),
    );
  });
});
