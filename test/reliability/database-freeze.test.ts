/**
 * A member whose database hangs (frozen behind a TCP proxy: connections open, nothing moves) does
 * not hang with it: its statements and connections time out, GraphQL answers DATABASE_UNAVAILABLE,
 * `/ready` says 503, and everything is back once the database is. The shared database itself is
 * never frozen: only the proxy in front of it.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { createMemberSubgraph, type MemberSubgraph } from '../../subgraphs/member/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { databaseUrl, quietLogger, uniqueSchema } from '../support/network';
import { freezableProxy, viaProxy, type FreezableProxy } from '../support/freezable-proxy';
import { rawRequest } from './support';

describe('member database frozen', () => {
  let proxy: FreezableProxy;
  let orm: MikroORM;
  let member: MemberSubgraph;
  const statementMs = 800;
  /** A liveness cap, not a performance figure: without timeouts the answers never come. */
  const hangCap = 20_000;
  const query = JSON.stringify({ query: '{ services { id name } }' });

  beforeAll(async () => {
    const url = new URL(databaseUrl());
    proxy = await freezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    orm = await openDatabase({ url: viaProxy(databaseUrl(), proxy), schema: uniqueSchema('frozen'), poolMax: 3, timeouts: { statementMs, connectMs: statementMs } }, quietLogger());
    await importMemberData(orm, 'ana', {
      member: 'ana',
      services: [{ id: 'mail', name: 'Mail', description: { en: 'Mail' }, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'PUBLIC' }],
    } as never);
    member = await createMemberSubgraph({ member: { id: 'ana', languages: ['en'] }, database: { orm }, logger: quietLogger(), readyTimeoutMs: statementMs });
  });
  afterAll(async () => {
    proxy?.thaw();
    await member?.stop();
    await orm?.close(true);
    await proxy?.close();
  });

  const ask = () => rawRequest(member.url, { body: query, timeoutMs: hangCap });
  const ready = () => rawRequest(member.url, { method: 'GET', path: '/ready', timeoutMs: hangCap });

  it('answers DATABASE_UNAVAILABLE and /ready 503 while frozen, then serves again after the thaw', async () => {
    expect((await ask()).json.data).toEqual({ services: [{ id: 'ana:mail', name: 'Mail' }] });
    expect((await ready()).status).toBe(200);

    proxy.freeze();
    // more requests than pool connections: queued ones must time out as well
    const frozen = await Promise.all([ask(), ask(), ask(), ask(), ask()]);
    for (const answer of frozen) {
      expect(answer.status).toBe(200);
      expect(answer.json.data).toBeNull();
      expect(answer.json.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      expect(answer.text).not.toMatch(/select|timeout|knex/i); // no SQL or driver internals
    }
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.json.status).toBe('database unavailable');

    proxy.thaw();
    let back;
    for (let i = 0; i < 100; i++) {
      back = await ask();
      if (back.json.data) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(back!.json.data).toEqual({ services: [{ id: 'ana:mail', name: 'Mail' }] });
    expect((await ready()).status).toBe(200);
  });
});
