/**
 * Imports of one member serialize on an advisory lock keyed on its schema (real PostgreSQL only:
 * embedded PGlite is a single session that runs one transaction at a time anyway).
 * - two concurrent `--prune` imports end with exactly one of the two files, never their union;
 * - an import that finds another one running waits, saying so, and goes on when it is done;
 * - after a bounded wait it fails clearly, having written nothing.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { ImportBusyError, importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { IMPORT_LOCK_CLASS } from '../../subgraphs/member/src/import/import-lock';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';

const MEMBER = 'ana';

function file(prefix: string, count: number) {
  return {
    member: MEMBER,
    services: Array.from({ length: count }, (_, i) => ({
      id: `${prefix}-${i}`,
      name: `Service ${prefix} ${i}`,
      description: { en: `Service ${i} from file ${prefix}` },
      kind: 'EMAIL',
      status: 'OPERATIONAL',
      acceptingUsers: true,
      visibility: 'PUBLIC',
    })),
  } as never;
}

describe('import serialization per member (real PostgreSQL)', () => {
  const schema = uniqueSchema(MEMBER);
  let a: MikroORM;
  let b: MikroORM;

  beforeAll(async () => {
    // two pools: two importer processes' worth of separate sessions
    a = await openDatabase({ url: databaseUrl(), schema, poolMax: 2 }, quietLogger());
    b = await openDatabase({ url: databaseUrl(), schema, poolMax: 2 }, quietLogger());
    const [{ version }] = await a.em.getConnection().execute<{ version: string }[]>('select version()');
    expect(version).not.toMatch(/emscripten|wasm/i); // this suite needs real sessions
  });
  afterAll(async () => {
    await a?.close(true);
    await b?.close(true);
  });

  const serviceIds = async () => (await a.em.getConnection().execute<{ id: string }[]>(`select id from "${schema}"."service" order by id`)).map((r) => r.id).sort();
  const idsOf = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`).sort();

  /** Holds the member's import lock from a third session until `release` is called. */
  async function holdImportLock(): Promise<() => Promise<void>> {
    const holder = await openDatabase({ url: databaseUrl(), schema, poolMax: 1 }, quietLogger());
    const knex = holder.em.getConnection().getKnex();
    const trx = await knex.transaction();
    const { rows } = await trx.raw('select pg_try_advisory_xact_lock(?, hashtext(?)) as locked', [IMPORT_LOCK_CLASS, schema]);
    expect(rows[0].locked).toBe(true);
    return async () => {
      await trx.commit();
      await holder.close(true);
    };
  }

  it('never leaves the union of two concurrent --prune imports', async () => {
    for (let round = 0; round < 3; round++) {
      await importMemberData(a, MEMBER, file('seed', 5), { prune: true });
      const [first, second] = await Promise.allSettled([importMemberData(a, MEMBER, file('left', 60), { prune: true }), importMemberData(b, MEMBER, file('right', 60), { prune: true })]);
      expect(first.status).toBe('fulfilled');
      expect(second.status).toBe('fulfilled');
      const ids = await serviceIds();
      expect([idsOf('left', 60), idsOf('right', 60)]).toContainEqual(ids);
    }
  });

  it('waits for a running import, saying so, then imports', async () => {
    await importMemberData(a, MEMBER, file('before', 3), { prune: true });
    const release = await holdImportLock();
    const progress: string[] = [];
    const waiting = importMemberData(b, MEMBER, file('after', 4), { prune: true, onProgress: (m) => progress.push(m), lockWaitMs: 30_000 });
    await new Promise((r) => setTimeout(r, 600));
    expect(progress).toEqual([expect.stringMatching(/another import of this member is running: waiting for it \(up to 30 s\)/)]);
    expect(await serviceIds()).toEqual(idsOf('before', 3)); // nothing written while waiting
    await release();
    const summary = await waiting;
    expect(summary.services).toMatchObject({ created: 4, removed: 3 });
    expect(await serviceIds()).toEqual(idsOf('after', 4));
  });

  it('fails clearly after a bounded wait, writing nothing', async () => {
    await importMemberData(a, MEMBER, file('kept', 2), { prune: true });
    const release = await holdImportLock();
    try {
      const err = await importMemberData(b, MEMBER, file('late', 2), { prune: true, lockWaitMs: 400 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportBusyError);
      expect((err as ImportBusyError).code).toBe('IMPORT_BUSY');
      expect((err as Error).message).toMatch(/another import into this member's database \(schema "t[0-9a-f]+_ana"\) is still running after \d+ s; nothing was written/);
      expect(await serviceIds()).toEqual(idsOf('kept', 2));
    } finally {
      await release();
    }
  });
});
