import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Caller } from '../../../common/caller';
import { MemoryWindows } from './memory-windows';

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
  /**
   * Charges `points` to `key`; returns the seconds to wait when over, else undefined. At once
   * (no promise) when the counters are in process memory; a promise with Redis.
   */
  consume(key: string, points?: number): number | undefined | Promise<number | undefined>;
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

/**
 * Rate limiting, charged in points: counters in process memory (MemoryWindows, synchronous), or
 * with Redis shared by the replicas (rate-limiter-flexible, with its memory limiter while Redis
 * is down).
 */
export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const keyPrefix = opts.keyPrefix ?? 'rl';
  if (!opts.redis) {
    const windows = new MemoryWindows(opts.points, opts.windowSeconds);
    return { consume: (key, points = 1) => (points <= 0 ? undefined : windows.consume(key, points)) };
  }
  const limiter: RateLimiterAbstract = new RateLimiterRedis({
    storeClient: opts.redis,
    points: opts.points,
    duration: opts.windowSeconds,
    keyPrefix: `${opts.namespace ?? 'infrared:'}${keyPrefix}`,
    insuranceLimiter: new RateLimiterMemory({ points: opts.points, duration: opts.windowSeconds, keyPrefix }),
    useRedisPackage: false,
  });
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
    /** The seconds to wait when either budget is spent, else undefined; at once when both counters are in memory. */
    charge(caller: Caller, ip: string | undefined, points: number): number | undefined | Promise<number | undefined> {
      const own = callers.consume(rateLimitKey(caller, ip), points);
      const issuer = issuerKey(caller);
      if (!issuer) return own;
      const members = issuers.consume(issuer, points);
      if (own instanceof Promise || members instanceof Promise) return Promise.all([own, members]).then(([a, b]) => longerWait(a, b));
      return longerWait(own, members);
    },
  };
}

function longerWait(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

export type CallerBudget = ReturnType<typeof createCallerBudget>;

export type RateRefusal = { status: number; code: string; message: string; headers: Record<string, string> };

/**
 * Admission by rate budget: one point per request here; the operation's cost is charged once it
 * is known (costPlugin). At once (no promise) when the counters are in memory.
 */
export function admitByBudget(budget: CallerBudget) {
  return (req: IncomingMessage, caller: Caller): RateRefusal | undefined | Promise<RateRefusal | undefined> => {
    const retryAfter = budget.charge(caller, req.socket.remoteAddress, 1);
    return retryAfter instanceof Promise ? retryAfter.then(refusalFor) : refusalFor(retryAfter);
  };
}

function refusalFor(retryAfter: number | undefined): RateRefusal | undefined {
  return retryAfter === undefined ? undefined : { status: 429, code: 'RATE_LIMITED', message: 'Too many requests', headers: { 'retry-after': String(retryAfter) } };
}
