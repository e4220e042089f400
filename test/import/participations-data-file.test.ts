/**
 * Participations in the member data file take `sharedWith` like every other kind. When the file
 * does not say, a participation is shared with the project's lead, as joinProject records it (the
 * lead must see the confirmation to list the member among the project's participants).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { exportMemberData, toYaml } from '../../subgraphs/member/src/import/export-member-data';
import { DataFileError, importMemberData, parseMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const MEMBER = 'kafshata';
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

describe('participations in the data file: sharedWith like every kind', () => {
  let orm: MikroORM;
  const schema = uniqueSchema(MEMBER);
  const participations = async () =>
    (await orm.em.getConnection().execute<{ project_id: string; shared_with: string[] }[]>(`select project_id, shared_with from "${schema}"."participation" order by project_id`)).map((p) => [
      p.project_id,
      p.shared_with,
    ]);

  beforeAll(async () => {
    orm = await openDatabase({ url: databaseUrl(), schema, poolMax: 2 }, quietLogger());
  });
  afterAll(() => orm.close(true));

  const FILE = `member: kafshata
participations:
  - { projectId: "nodo-sur:latam-storage-node", visibility: MEMBERS }
  - { projectId: "ironweed:shared-ansible", visibility: MEMBERS, sharedWith: [ironweed, nodo-sur] }
  - { projectId: "ciberfeminista:localizacion", visibility: MEMBERS, sharedWith: [] }
`;

  it("defaults to the project's lead (as joinProject records it); an explicit list is kept as given", async () => {
    await importMemberData(orm, MEMBER, FILE);
    expect(await participations()).toEqual([
      ['ciberfeminista:localizacion', []],
      ['ironweed:shared-ansible', ['ironweed', 'nodo-sur']],
      ['nodo-sur:latam-storage-node', ['nodo-sur']],
    ]);
  });

  it('export writes the stored list, and importing the export changes nothing', async () => {
    await importMemberData(orm, MEMBER, FILE);
    const exported = await exportMemberData(orm, MEMBER);
    expect(exported.participations).toEqual([
      { projectId: 'ciberfeminista:localizacion', visibility: 'MEMBERS', sharedWith: [] },
      { projectId: 'ironweed:shared-ansible', visibility: 'MEMBERS', sharedWith: ['ironweed', 'nodo-sur'] },
      { projectId: 'nodo-sur:latam-storage-node', visibility: 'MEMBERS', sharedWith: ['nodo-sur'] },
    ]);
    const again = await importMemberData(orm, MEMBER, toYaml(exported));
    expect(again.participations).toEqual(counts({ unchanged: 3 }));
  });

  it('refuses a participation shared with the member itself, like every kind', () => {
    expect(problemsOf(`member: kafshata\nparticipations:\n  - { projectId: "nodo-sur:x", visibility: MEMBERS, sharedWith: [kafshata] }\n`)).toEqual([
      'participations[0].sharedWith: must not list the member itself (the owner always sees its records)',
    ]);
  });
});
