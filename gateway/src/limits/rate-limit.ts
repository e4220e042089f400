import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Caller } from '../../../common/caller';

export interface RateLimitOptions {
  /** Points allowed per key per window (a request costs at least one). */
  points: number;
  windowSeconds: number;
  /** Shared counters across replicas; memory when absent or while Redis is down. */
  redis?: Redis;
  /** Redis key prefix (redis-namespace.ts). */
  namespace?: string;
  /** Separates limiters that share a store (callers, issuing members). */
  keyPrefix?: string;
}

export interface RateLimiter {
  /** Charges `points` to `key`; returns the seconds to wait when over, else undefined. */
  consume(key: string, points?: number): Promise<number | undefined>;
}

/** The rate-limit key: the token's member and subject, or the IP address for anonymous callers. */
export function rateLimitKey(caller: Caller, ip: string | undefined): string {
  return caller.anonymous || !caller.member ? `ip:${ip ?? 'unknown'}` : `caller:${caller.member}:${caller.subject ?? ''}`;
}

/**
 * The issuing member's key: every token a member signs, whatever its subject, draws on one budget,
 * so minting subjects cannot multiply a member's share. Undefined for anonymous callers.
 */
export function issuerKey(caller: Caller): string | undefined {
  return caller.anonymous || !caller.member ? undefined : `issuer:${caller.member}`;
}

/** Rate limiting (rate-limiter-flexible), charged in points. */
export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const keyPrefix = opts.keyPrefix ?? 'rl';
  const memory = new RateLimiterMemory({ points: opts.points, duration: opts.windowSeconds, keyPrefix });
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({
        storeClient: opts.redis,
        points: opts.points,
        duration: opts.windowSeconds,
        keyPrefix: `${opts.namespace ?? 'infrared:'}${keyPrefix}`,
        insuranceLimiter: memory,
        useRedisPackage: false,
      })
    : memory;
  return {
    async consume(key, points = 1) {
      if (points <= 0) return undefined;
      try {
        await limiter.consume(key, points);
        return undefined;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
  };
}

/**
 * A caller's budget: its own key and, for token holders, its issuing member's. Both are charged;
 * the longer wait wins when either is spent.
 */
export function createCallerBudget(callers: RateLimiter, issuers: RateLimiter) {
  return {
    async charge(caller: Caller, ip: string | undefined, points: number): Promise<number | undefined> {
      const issuer = issuerKey(caller);
      const waits = await Promise.all([callers.consume(rateLimitKey(caller, ip), points), issuer ? issuers.consume(issuer, points) : undefined]);
      const over = waits.filter((w): w is number => w !== undefined);
      return over.length ? Math.max(...over) : undefined;
    },
  };
}

export type CallerBudget = ReturnType<typeof createCallerBudget>;

/** Admission by rate budget: one point per request here; the operation's cost is charged once it is known (costPlugin). */
export function admitByBudget(budget: CallerBudget) {
  return async (req: IncomingMessage, caller: Caller): Promise<{ status: number; code: string; message: string; headers: Record<string, string> } | undefined> => {
    const retryAfter = await budget.charge(caller, req.socket.remoteAddress, 1);
    return retryAfter === undefined ? undefined : { status: 429, code: 'RATE_LIMITED', message: 'Too many requests', headers: { 'retry-after': String(retryAfter) } };
  };
}
