/**
 * A hung Redis (SIGSTOP: connection open, no answers) is treated like a dead one: requests keep
 * completing on local state (in-memory rate limits, cache misses), `/ready` and a metric say Redis
 * is degraded, and shared state resumes after SIGCONT. The Redis here is a private redis-server on
 * a random port, never the machine's shared one.
 */
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { startPrivateRedis, type PrivateRedis } from '../../scripts/fault/private-redis';
import { rawRequest, until } from './support';

describe('gateway with a frozen Redis', () => {
  let redis: PrivateRedis;
  let net: TestNetwork;
  const commandTimeoutMs = 300;
  /** A liveness cap, not a performance figure: without command timeouts the answers never come. */
  const hangCap = 10_000;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { redisUrl: redis.url, redisCommandTimeoutMs: commandTimeoutMs, responseCacheTtlSeconds: 30, rateLimitPoints: 100_000 });
  });
  afterAll(async () => {
    redis?.thaw();
    await net?.stop();
    await redis?.stop();
  });

  const base = () => net.gateway.url.replace(/\/graphql$/, '');
  const ready = async () => (await rawRequest(base(), { method: 'GET', path: '/ready', timeoutMs: hangCap })).json as { status: string; redis?: string };
  const degradedMetric = async () => Number(/^infrared_gateway_redis_degraded (\d)$/m.exec((await rawRequest(base(), { method: 'GET', path: '/metrics', timeoutMs: hangCap })).text)?.[1]);
  const ask = (query: string, token?: string) =>
    rawRequest(net.gateway.url, {
      body: JSON.stringify({ query }),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeoutMs: hangCap,
    });

  it('keeps answering while Redis is frozen, says degraded, and recovers after SIGCONT', async () => {
    await until(async () => (await ready()).redis === 'ok', { timeoutMs: 15_000, what: 'Redis to be ready' });
    expect(await ready()).toMatchObject({ status: 'ready', redis: 'ok' });
    expect(await degradedMetric()).toBe(0);
    const token = await net.token('alpha');
    expect((await ask('{ services { id } }')).status).toBe(200);
    // anonymous callers (cacheable: cache reads and writes) and token callers (rate limit)
    const round = async (tag: string) => {
      const started = performance.now();
      const answers = [];
      for (let i = 0; i < 6; i++) {
        answers.push(await ask(`{ services { id } ${tag}${i}: capacity { id } }`));
        answers.push(await ask(`{ viewer { subject } services { id } ${tag}${i}: capacity { id } }`, token));
      }
      return { answers, ms: performance.now() - started };
    };
    const healthy = await round('h');

    redis.freeze();
    const { answers, ms: frozenMs } = await round('f');
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.json.errors).toBeUndefined();
      expect(a.json.data.services.length).toBeGreaterThan(0);
    }
    // 12 requests, each needing Redis two or three times: after the first timeout they stop waiting
    // on it (with a wait per command they would take 24+ command timeouts; here a few at most)
    expect(frozenMs).toBeLessThan(3 * healthy.ms + 10 * commandTimeoutMs);
    expect(await ready()).toMatchObject({ status: 'degraded', redis: 'degraded' });
    expect(await degradedMetric()).toBe(1);

    redis.thaw();
    await until(async () => (await ready()).redis === 'ok', { timeoutMs: 15_000, what: 'Redis to be back' });
    expect(await degradedMetric()).toBe(0);
    // shared state is used again: an anonymous answer is cached in Redis and served as a hit
    const q = '{ services { id name } }';
    await ask(q);
    const hit = await until(
      async () => {
        const a = await ask(q);
        return a.headers['x-infrared-cache'] === 'hit' ? a : undefined;
      },
      { timeoutMs: 15_000, what: 'a cache hit after recovery' },
    );
    expect(hit.status).toBe(200);
  }, 120_000);

  it('still rate-limits while Redis is frozen (in memory), instead of letting everything through', async () => {
    let limited: Gateway | undefined;
    try {
      limited = await net.extraGateway({
        redisUrl: redis.url,
        redisCommandTimeoutMs: commandTimeoutMs,
        rateLimitPoints: 4,
        rateLimitWindowSeconds: 60,
        responseCacheTtlSeconds: 0,
      });
      const token = await net.token('beta', { subject: 'frozen-redis-limit' });
      redis.freeze();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await rawRequest(limited.url, {
          body: JSON.stringify({ query: '{ viewer { subject } }' }),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          timeoutMs: hangCap,
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429]);
    } finally {
      redis.thaw();
      await limited?.stop();
    }
  }, 60_000);
});
