import { Redis } from 'ioredis';
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

const REDIS_URL = process.env.INFRARED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two gateway replicas behind the same registry share state through the real Redis on this
 * machine: rate limits, the PUBLIC response cache and its invalidation. Revocations come from the
 * shared registry. A replica whose Redis is down keeps serving on local state.
 */
/** Waits until a replica's /ready says its Redis is in use (10 s at most). */
async function redisReady(gateway: Gateway): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(gateway.url.replace(/\/graphql$/, '/ready'));
    if (((await res.json()) as { redis?: string }).redis === 'ok') return;
    if (Date.now() > deadline) throw new Error("the replica's Redis did not become ready");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('gateway replicas on Redis', () => {
  let net: TestNetwork;
  let a: Gateway;
  let b: Gateway;
  const prefix = `t${Date.now().toString(36)}`;
  // a gateway group of this run's own: its keys (infrared:<network>:<group>:…) meet no other run's,
  // and the machine's Redis is never flushed
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers());
    const replica = () =>
      net.extraGateway({
        redisUrl: REDIS_URL,
        // the shared state is under test here, not a hung Redis (redis-frozen.test.ts): a command
        // slowed by a loaded machine must not send a replica to local state mid-test
        redisCommandTimeoutMs: 5000,
        gatewayGroup: prefix,
        responseCacheTtlSeconds: 60,
        rateLimitPoints: 6,
        rateLimitWindowSeconds: 60,
        registryPollMs: 200,
      });
    a = await replica();
    b = await replica();
    // a replica runs on local state until its Redis connection is ready: shared state is what
    // this suite tests, so it starts once both say so
    await Promise.all([a, b].map(redisReady));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await net.stop();
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    const keys = await redis.keys(`infrared:*:${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('applies one rate limit across both replicas', async () => {
    const token = await net.token('alpha', { subject: `${prefix}-limited` });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(i % 2 ? b.url : a.url, '{ viewer { subject } }', { token })).status);
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const other = await post(b.url, '{ viewer { subject } }', { token: await net.token('alpha', { subject: `${prefix}-other` }) });
    expect(other.status).toBe(200);
  });

  it('serves a PUBLIC answer cached by one replica from the other, and both drop it after a write', async () => {
    const query = `{ services(filter: { members: ["beta"] }) { id name } }`;
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': prefix };
    const send = (url: string) => fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const first = await send(a.url);
    expect(first.headers.get('x-infrared-cache')).toBeNull();
    const fromB = await send(b.url);
    expect(fromB.headers.get('x-infrared-cache')).toBe('hit');
    expect(await fromB.json()).toEqual(await first.json());

    const write = await post(a.url, 'mutation($s: ServiceInput!) { upsertService(input: $s) { id } }', {
      token: await net.token('beta', { scopes: ['read', 'write'], subject: `${prefix}-writer` }),
      variables: { s: { id: 'pub', name: 'Renamed through replica A', kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'PUBLIC' } },
    });
    expect(write.body.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100)); // replicas re-read the shared generation at most once a second
    const after = await send(b.url);
    expect(after.headers.get('x-infrared-cache')).toBeNull();
    expect(JSON.stringify(await after.json())).toContain('Renamed through replica A');
  });

  it('refuses a token revoked in the registry on both replicas', async () => {
    const token = await net.token('gamma', { subject: `${prefix}-revoked` });
    expect((await post(a.url, '{ viewer { subject } }', { token })).status).toBe(200);
    const jti = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).jti;
    net.writeRegistry((r) => {
      r.members.find((m: { id: string }) => m.id === 'gamma').revocations = { jti: [jti] };
    });
    await a.registry.reload();
    await b.registry.reload();
    expect((await post(a.url, '{ viewer { subject } }', { token })).status).toBe(401);
    expect((await post(b.url, '{ viewer { subject } }', { token })).status).toBe(401);
  });

  it('keeps serving, on local state, when Redis is down', async () => {
    const lonely = await net.extraGateway({
      redisUrl: 'redis://127.0.0.1:1',
      responseCacheTtlSeconds: 60,
      rateLimitPoints: 3,
    });
    try {
      const query = '{ services { id } }';
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(lonely.url, query)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const ok = await post(lonely.url, query, { token: await net.token('alpha', { subject: `${prefix}-lonely` }) });
      expect(ok.status).toBe(200);
      expect(ok.body.data!.services.length).toBeGreaterThan(0);
    } finally {
      await lonely.stop();
    }
  });
});
