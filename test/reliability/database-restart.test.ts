import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberSubgraph, type MemberSubgraph } from '../../subgraphs/member/src/app';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { freePort, post, quietLogger } from '../support/network';

/**
 * A member whose PostgreSQL goes away answers with a clear error (not a crash, not a hang), and
 * reconnects by itself when the database is back, with its data intact. The database here is a
 * real PostgreSQL server process (embedded PostgreSQL in a child process, on disk).
 */
describe('member database restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infrared-pg-restart-'));
  let pg: EmbeddedPostgres;
  let member: MemberSubgraph;
  let port: number;
  afterAll(async () => {
    await member?.stop();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports DATABASE_UNAVAILABLE while the database is down, then recovers without losing data', async () => {
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), logger: quietLogger(), port });
    const orm = await openDatabase({ url: pg.url, schema: 'restart', poolMax: 2 }, quietLogger());
    await importMemberData(orm, 'ana', {
      member: 'ana',
      services: [{ id: 'mail', name: 'Mail', kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'PUBLIC' }],
    } as never);
    member = await createMemberSubgraph({ member: { id: 'ana', languages: ['en'] }, database: { orm }, logger: quietLogger() });
    const q = '{ services { id name } }';
    expect((await post(member.url, q)).body.data).toEqual({ services: [{ id: 'ana:mail', name: 'Mail' }] });

    await pg.stop();
    const down = await post(member.url, q);
    expect(down.body.data).toBeNull();
    expect(down.body.errors![0].extensions!.code).toBe('DATABASE_UNAVAILABLE');
    expect(down.body.errors![0].message).toMatch(/database is unavailable/);

    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), logger: quietLogger(), port });
    let back;
    for (let i = 0; i < 50; i++) {
      back = await post(member.url, q);
      if (back.body.data) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(back!.body.data).toEqual({ services: [{ id: 'ana:mail', name: 'Mail' }] });
    await orm.close(true);
  });
});
