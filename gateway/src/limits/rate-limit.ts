import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Caller } from '../../../common/caller';

export interface RateLimitOptions {
  /** Requests allowed per caller per window. */
  points: number;
  windowSeconds: number;
  /** Shared counters across replicas; memory when absent or while Redis is down. */
  redis?: Redis;
  /** Redis key prefix (redis-namespace.ts). */
  namespace?: string;
}

/** The rate-limit key: the token's member and subject, or the IP address for anonymous callers. */
export function rateLimitKey(caller: Caller, ip: string | undefined): string {
  return caller.anonymous || !caller.member ? `ip:${ip ?? 'unknown'}` : `caller:${caller.member}:${caller.subject ?? ''}`;
}

/** Per-caller rate limiting (rate-limiter-flexible). Returns the seconds to wait when over. */
export function createRateLimiter(opts: RateLimitOptions): { consume(key: string): Promise<number | undefined> } {
  const memory = new RateLimiterMemory({ points: opts.points, duration: opts.windowSeconds, keyPrefix: 'infrared-rl' });
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({ storeClient: opts.redis, points: opts.points, duration: opts.windowSeconds, keyPrefix: `${opts.namespace ?? 'infrared:'}rl`, insuranceLimiter: memory, useRedisPackage: false })
    : memory;
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return undefined;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
  };
}
