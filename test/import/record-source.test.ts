/**
 * Each record knows whether it came from the data file or the API: `member import --prune`
 * removes only file records and lists what it left alone; `member export` marks API records, and
 * importing an export keeps them API records. Writes go through the real gateway and member.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { exportMemberData } from '../../subgraphs/member/src/import/export-member-data';
import { formatSummary, importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { TestNetwork } from '../support/network';

const service = (id: string) => ({ id, name: `Service ${id}`, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'PUBLIC' });
const fileData = (services: string[], capacity: string[] = []): never =>
  ({
    member: 'alpha',
    services: services.map(service),
    capacity: capacity.map((id) => ({ id, resource: 'STORAGE_GB', total: 100, used: 10, visibility: 'PUBLIC' })),
  }) as never;

describe('record source (file or API)', () => {
  let net: TestNetwork;
  let orm: MikroORM;
  let writer: string;

  const sources = async (table: 'service' | 'capacity') =>
    Object.fromEntries(
      (await orm.em.getConnection().execute<{ id: string; source: string }[]>(`select id, source from "${orm.config.get('schema')}"."${table}" order by id`)).map((r) => [r.id, r.source]),
    );
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await net.query(query, { token: writer, variables });
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const reportCapacity = (id: string, serviceId?: string) =>
    gql(`mutation($input: CapacityInput!) { reportCapacity(input: $input) { id } }`, { input: { id, serviceId, resource: 'CPU_CORES', total: 8, used: 3, visibility: 'PUBLIC' } });

  beforeAll(async () => {
    net = await TestNetwork.start([{ id: 'alpha', data: { services: ['mail', 'cloud', 'old'].map(service) } }]);
    orm = net.orms.get('alpha')!;
    writer = await net.token('alpha', { scopes: ['read', 'write'] });
  });
  afterAll(() => net?.stop());

  it('marks imported records FILE and records written through the API API; a patch of a file record makes it API', async () => {
    await reportCapacity('bot-disk');
    await gql(`mutation { updateService(id: "alpha:cloud", patch: { software: "Nextcloud" }) { id } }`, {});
    expect(await sources('service')).toEqual({ cloud: 'API', mail: 'FILE', old: 'FILE' });
    expect((await sources('capacity'))['bot-disk']).toBe('API');
  });

  it('--prune removes only file records, and names the API records it left alone', async () => {
    await reportCapacity('bot-cpu', 'old'); // written through the API under a service the file will drop
    const progress: string[] = [];
    const summary = await importMemberData(orm, 'alpha', fileData(['mail']), { prune: true, onProgress: (m) => progress.push(m) });
    expect(summary.services).toMatchObject({ removed: 1, kept: 1, keptFromApi: ['cloud'] });
    expect(summary.capacity).toMatchObject({ removed: 0, kept: 2, keptFromApi: ['bot-cpu', 'bot-disk'] });
    expect(formatSummary(summary)).toEqual(
      expect.arrayContaining([
        'services: 0 created, 0 updated, 1 unchanged, 1 removed, 1 kept (written through the API, not from the file: cloud)',
        'capacity: 0 created, 0 updated, 0 unchanged, 0 removed, 2 kept (written through the API, not from the file: bot-cpu, bot-disk)',
      ]),
    );
    expect(progress).toContain('capacity: 2 not in the file but written through the API, left alone');
    expect(await sources('service')).toEqual({ cloud: 'API', mail: 'FILE' });
    // the bot's capacity under the pruned service survives, detached from it
    const cpu = await orm.em.getConnection().execute<{ service_id: string | null; version: number }[]>(`select service_id, version from "${orm.config.get('schema')}"."capacity" where id = 'bot-cpu'`);
    expect(cpu).toEqual([{ service_id: null, version: 2 }]);
  });

  it('export marks API records, and importing the export (with --prune) keeps them API records', async () => {
    const exported = await exportMemberData(orm, 'alpha');
    const services = exported.services as { id: string; source?: string }[];
    expect(services.map((s) => [s.id, s.source])).toEqual([
      ['cloud', 'API'],
      ['mail', undefined],
    ]);
    expect((exported.capacity as { id: string; source?: string }[]).map((c) => [c.id, c.source])).toEqual([
      ['bot-cpu', 'API'],
      ['bot-disk', 'API'],
    ]);
    const again = await importMemberData(orm, 'alpha', exported as never, { prune: true });
    expect(again.services).toMatchObject({ removed: 0, unchanged: 2 });
    expect(await sources('service')).toEqual({ cloud: 'API', mail: 'FILE' });
    // and so a later file that does not list them still leaves them alone
    const later = await importMemberData(orm, 'alpha', fileData(['mail']), { prune: true });
    expect(later.services).toMatchObject({ removed: 0, keptFromApi: ['cloud'] });
  });

  it('a file that lists an API record takes it over: it becomes a FILE record with the file content', async () => {
    const summary = await importMemberData(orm, 'alpha', fileData(['mail', 'cloud']), { prune: true });
    expect(summary.services).toMatchObject({ updated: 1, unchanged: 1, removed: 0 });
    expect(await sources('service')).toEqual({ cloud: 'FILE', mail: 'FILE' });
    const gone = await importMemberData(orm, 'alpha', fileData(['mail']), { prune: true });
    expect(gone.services).toMatchObject({ removed: 1, kept: 0 });
  });

  it('refuses an unknown source in the file', async () => {
    const bad = { member: 'alpha', services: [{ ...service('mail'), source: 'BOT' }] };
    await expect(importMemberData(orm, 'alpha', bad as never)).rejects.toThrow(/services\[0\]\.source/);
  });
});
