/**
 * Replay protection shared by a member's replicas: two processes of one member on one database
 * (two member subgraphs, each with its own connection pool, on the same schema). A captured
 * assertion accepted by one is refused by the other; the replay table cleans itself up.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeJwt } from 'jose';
import { ASSERTION_HEADER } from '../../common/auth/assertion';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { PostgresReplayCache } from '../../subgraphs/member/src/access/postgres-replay-cache';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { serveMember } from '../../subgraphs/member/src/serve';
import { ringMembers } from '../support/fixtures';
import { databaseUrl, quietLogger, TestNetwork } from '../support/network';
import { callerOf, GENERIC_401_BODY, gqlBody, postRaw } from './support';

let net: TestNetwork;
let replicaOrm: MikroORM;
let replica: MemberSubgraph;

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  const schema = net.orms.get('alpha')!.config.get('schema') as string;
  replicaOrm = await openDatabase({ url: databaseUrl(), schema, poolMax: 2 }, quietLogger());
  replica = await serveMember(
    { memberId: 'alpha', languages: ['en'], port: 0, host: '127.0.0.1', registryFile: net.registryFile, databaseSchema: schema, acceptDirectTokens: false, callerPolicy: 'asserted' },
    { logger: quietLogger(), orm: replicaOrm, signingKey: net.keys.get('alpha') },
  );
});
afterAll(async () => {
  await replica?.stop();
  await replicaOrm?.close(true);
  await net?.stop();
});

describe("a member's replicas share one replay cache", () => {
  const body = gqlBody('{ services { id } }');

  it('an assertion accepted by one replica is refused by the other, and by the first again', async () => {
    const assertion = await net.assertion('alpha', callerOf('alpha'), body);
    const first = await postRaw(net.members.get('alpha')!.url, body, { [ASSERTION_HEADER]: assertion });
    expect(first.status).toBe(200);
    expect(first.json.data.services.map((s: { id: string }) => s.id)).toContain('alpha:own');
    for (const url of [replica.url, net.members.get('alpha')!.url]) {
      const replay = await postRaw(url, body, { [ASSERTION_HEADER]: assertion });
      expect(replay.status).toBe(401);
      expect(replay.json).toEqual(GENERIC_401_BODY);
    }
  });

  it('each replica accepts fresh assertions, whichever sees them first', async () => {
    for (const url of [replica.url, net.members.get('alpha')!.url, replica.url]) {
      const res = await postRaw(url, body, { [ASSERTION_HEADER]: await net.assertion('alpha', callerOf('beta'), body) });
      expect(res.status).toBe(200);
    }
  });

  it('concurrent replays of one assertion on both replicas: exactly one is accepted', async () => {
    const assertion = await net.assertion('alpha', callerOf('alpha'), body);
    const urls = [replica.url, net.members.get('alpha')!.url];
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => postRaw(urls[i % 2], body, { [ASSERTION_HEADER]: assertion }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(7);
  });

  it('an assertion another replica accepted is refused before anything runs: the write is not made', async () => {
    const schema = replicaOrm.config.get('schema') as string;
    const write = gqlBody('mutation($input: ServiceInput!) { upsertService(input: $input) { id } }', {
      input: { id: 'replayed-write', name: 'Replayed', kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'OWNER' },
    });
    const assertion = await net.assertion('alpha', callerOf('alpha', ['read', 'write']), write);
    const { iss, jti, exp } = decodeJwt(assertion);
    // as the other replica stores it when it accepts the assertion
    await replicaOrm.em.getConnection().execute(`insert into "${schema}"."assertion_replay" ("id", "expires_at") values (?, to_timestamp(?))`, [`${iss}:${jti}`, exp! + 5]);
    const refused = await postRaw(replica.url, write, { [ASSERTION_HEADER]: assertion });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual(GENERIC_401_BODY);
    const read = gqlBody('{ services { id } }');
    const after = await postRaw(replica.url, read, { [ASSERTION_HEADER]: await net.assertion('alpha', callerOf('alpha'), read) });
    expect(after.status).toBe(200);
    expect(after.json.data.services.map((s: { id: string }) => s.id)).toContain('alpha:own');
    expect(after.json.data.services.map((s: { id: string }) => s.id)).not.toContain('alpha:replayed-write');
    // the same write with a fresh assertion is made: the refusal above was the replay's
    const made = await postRaw(replica.url, write, { [ASSERTION_HEADER]: await net.assertion('alpha', callerOf('alpha', ['read', 'write']), write) });
    expect(made.status).toBe(200);
    expect(made.json.errors).toBeUndefined();
    const now = await postRaw(replica.url, read, { [ASSERTION_HEADER]: await net.assertion('alpha', callerOf('alpha'), read) });
    expect(now.json.data.services.map((s: { id: string }) => s.id)).toContain('alpha:replayed-write');
  });

  it('a read with an assertion another replica accepted runs while the check waits, but gets only the 401', async () => {
    const schema = replicaOrm.config.get('schema') as string;
    const read = gqlBody('{ services { id name } }');
    const assertion = await net.assertion('alpha', callerOf('alpha'), read);
    const { iss, jti, exp } = decodeJwt(assertion);
    await replicaOrm.em.getConnection().execute(`insert into "${schema}"."assertion_replay" ("id", "expires_at") values (?, to_timestamp(?))`, [`${iss}:${jti}`, exp! + 5]);
    const refused = await postRaw(replica.url, read, { [ASSERTION_HEADER]: assertion });
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('alpha:own');
    expect(refused.json).toEqual(GENERIC_401_BODY);
  });

  it('ids checked together share one statement; a second copy of one among them is a replay', async () => {
    const cache = new PostgresReplayCache(replicaOrm, quietLogger(), 3_600_000);
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `test:batch-${Date.now()}-${i}`);
      const first = await Promise.all([...ids, ids[3]].map((id) => cache.remember(id, Date.now() + 60_000)));
      expect(first.slice(0, 20)).toEqual(ids.map(() => true));
      expect(first[20]).toBe(false);
      expect(cache.stats).toEqual({ statements: 1, ids: 20 });
      // every one of them again, one at a time and together: all replays
      expect(await cache.remember(ids[0], Date.now() + 60_000)).toBe(false);
      expect(await Promise.all(ids.map((id) => cache.remember(id, Date.now() + 60_000)))).toEqual(ids.map(() => false));
      expect(cache.stats.statements).toBe(3);
      // and the other replica's process sees them as used too
      const other = new PostgresReplayCache(net.orms.get('alpha')!, quietLogger(), 3_600_000);
      expect(await other.remember(ids[7], Date.now() + 60_000)).toBe(false);
      other.stop();
    } finally {
      cache.stop();
    }
  });

  it('expired ids are cleaned up', async () => {
    const cache = new PostgresReplayCache(replicaOrm, quietLogger(), 3_600_000);
    try {
      expect(await cache.remember('test:expired', Date.now() - 60_000)).toBe(true);
      expect(await cache.remember('test:expired', Date.now() - 60_000)).toBe(false);
      expect(await cache.cleanup()).toBeGreaterThanOrEqual(1);
      expect(await cache.remember('test:expired', Date.now() + 60_000)).toBe(true);
    } finally {
      cache.stop();
    }
  });
});
