import type { Redis } from 'ioredis';
import { MemoryReplayCache, type ReplayCache } from '../../../common/auth/replay-cache';

/**
 * The gateway's replay cache for caller proofs, shared by its replicas in Redis: `SET key NX PX`
 * stores an id once, atomically, whichever replica sees it first. While Redis is down or hung,
 * each replica falls back to its own memory (a proof is then refused twice by the same replica,
 * not across replicas): each proven member keeps its own replay cache in its database, which is
 * what protects its data.
 * @example const replay = new RedisReplayCache(redis, `${namespace}proof:`);
 */
export class RedisReplayCache implements ReplayCache {
  private readonly local = new MemoryReplayCache();

  constructor(
    private readonly redis: Redis & { degraded?: boolean },
    private readonly prefix: string,
  ) {}

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    const localFirst = await this.local.remember(id, expiresAtMs);
    if (!localFirst) return false;
    if (this.redis.degraded) return true;
    const ttl = Math.max(1_000, expiresAtMs + 5_000 - Date.now());
    try {
      return (await this.redis.set(`${this.prefix}${id}`, '1', 'PX', ttl, 'NX')) === 'OK';
    } catch {
      return true;
    }
  }
}
