import { createHash } from 'node:crypto';
import { ErrorsAreMissesCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../../common/logger';
import { RedisKeyValueCache } from './redis-key-value-cache';

export interface CachedResponse {
  status: number;
  body: string;
}

/**
 * A stored answer as a hit sends it: its bytes and their length, made once when it is stored in
 * memory (for a Redis entry, once per read). `memo` holds what is worked out from the body on
 * first use (a GET's caching headers), so later hits of the same entry do not work it out again.
 */
export interface StoredAnswer extends CachedResponse {
  bytes: Buffer;
  contentLength: string;
  memo: Record<string, unknown>;
}

/** An answer in process memory, with the generation it was stored in. */
interface MemoryEntry {
  generation: number;
  answer: StoredAnswer;
}

/** The most process memory the in-memory entries take (bodies and their bytes). */
const MEMORY_BYTES = 50 * 1024 * 1024;

/**
 * A response cache for data visible to anonymous callers — PUBLIC data only, the one visibility
 * class every caller shares. Responses for authenticated callers are never stored or served
 * from here, so no MEMBERS or OWNER record can reach another caller. Keys are a hash of the
 * operation, variables, operation name and language (never a token), with a generation number
 * that every successful write bumps (in Redis too, so all replicas drop their entries).
 */
export class ResponseCache {
  private generation = 0;
  private generationCheckedAt = 0;
  /** Without Redis: decoded answers, read synchronously (a hit waits for nothing). */
  private readonly memory?: LRUCache<string, MemoryEntry>;
  /** With Redis: encoded entries shared by every replica, under `<generation>:<key>`. */
  private readonly shared?: KeyValueCache<string>;

  constructor(private readonly opts: { ttlSeconds: number; redis?: Redis; logger: Logger; /** Redis key prefix (redis-namespace.ts). */ namespace?: string }) {
    // a Redis outage turns into cache misses, never into failed requests
    if (opts.redis) {
      this.shared = new ErrorsAreMissesCache(new RedisKeyValueCache(opts.redis, `${opts.namespace ?? 'infrared:'}response:`), {
        error: (m: unknown) => opts.logger.debug({ err: String(m) }, 'response cache miss: Redis error'),
      } as never);
    } else {
      this.memory = new LRUCache<string, MemoryEntry>({ maxSize: MEMORY_BYTES, sizeCalculation: (entry, key) => 2 * (key.length + entry.answer.body.length) + entry.answer.bytes.length + 128 });
    }
  }

  key(parts: { query: string; variables: unknown; operationName?: string; language?: string }): string {
    return createHash('sha256')
      .update(JSON.stringify([parts.query, parts.variables ?? null, parts.operationName ?? null, parts.language ?? null]))
      .digest('base64url');
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    return this.lookup(key);
  }

  /**
   * The answer stored under `key` in the current generation: at once when the entries are in
   * memory (no promise, no microtask on a hit's path), a promise when they are in Redis.
   */
  lookup(key: string): StoredAnswer | undefined | Promise<StoredAnswer | undefined> {
    if (this.memory) {
      const entry = this.memory.get(key);
      return entry && entry.generation === this.generation ? entry.answer : undefined;
    }
    return this.sharedLookup(key);
  }

  private async sharedLookup(key: string): Promise<StoredAnswer | undefined> {
    const generation = await this.currentGeneration();
    const hit = await this.shared!.get(`${generation}:${key}`);
    const decoded = hit ? decodeEntry(hit) : undefined;
    return decoded && storedAnswer(decoded);
  }

  /** The generation in force now: take it when a request starts, and give it back to `set`. */
  generationNow(): Promise<number> {
    return this.currentGeneration();
  }

  /**
   * Stores an answer. With `startedIn` (the generation when the request started), an answer whose
   * request began before an invalidation — computed from the old registry or old records — is
   * not stored under the new generation.
   */
  async set(key: string, response: CachedResponse, startedIn?: number): Promise<void> {
    const generation = await this.currentGeneration();
    if (startedIn !== undefined && startedIn !== generation) return;
    if (this.memory) {
      this.memory.set(key, { generation, answer: storedAnswer(response) }, { ttl: this.opts.ttlSeconds * 1000 });
      return;
    }
    try {
      await this.shared!.set(`${generation}:${key}`, encodeEntry(response), { ttl: this.opts.ttlSeconds });
    } catch (err) {
      this.opts.logger.debug({ err: (err as Error).message }, 'response cache: could not store (Redis unavailable)');
    }
  }

  /** A member's data changed: every cached answer is stale, on every replica. */
  async invalidate(): Promise<void> {
    this.generation++;
    this.memory?.clear();
    if (this.opts.redis) {
      try {
        this.generation = Math.max(this.generation, await this.opts.redis.incr(this.generationKey));
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'response cache: Redis unavailable, invalidated locally only');
      }
    }
    this.generationCheckedAt = Date.now();
  }

  private get generationKey(): string {
    return `${this.opts.namespace ?? 'infrared:'}response:generation`;
  }

  private async currentGeneration(): Promise<number> {
    if (!this.opts.redis || Date.now() - this.generationCheckedAt < 1000) return this.generation;
    this.generationCheckedAt = Date.now();
    try {
      const shared = Number((await this.opts.redis.get(this.generationKey)) ?? 0);
      if (shared > this.generation) this.generation = shared;
    } catch {
      /* Redis down: keep the local generation */
    }
    return this.generation;
  }
}

/**
 * A stored answer is `v1:<status>:<body>`: a hit takes the body as a slice of the stored string,
 * without parsing (or copying) an answer that can be hundreds of kilobytes. Entries written as
 * JSON by earlier versions (in a shared Redis) are still read.
 */
const ENTRY_PREFIX = 'v1:';

function storedAnswer(response: CachedResponse): StoredAnswer {
  const bytes = Buffer.from(response.body);
  return { status: response.status, body: response.body, bytes, contentLength: String(bytes.length), memo: {} };
}

/** Exported for tests: the form of an entry in Redis. */
export function encodeEntry(response: CachedResponse): string {
  return `${ENTRY_PREFIX}${response.status}:${response.body}`;
}

/** Exported for tests: an entry read from Redis, or undefined when it is not one this version can serve. */
export function decodeEntry(stored: string): CachedResponse | undefined {
  if (!stored.startsWith(ENTRY_PREFIX)) {
    try {
      const old = JSON.parse(stored) as Partial<CachedResponse>;
      return validStatus(old.status) && typeof old.body === 'string' ? { status: old.status, body: old.body } : undefined;
    } catch {
      return undefined;
    }
  }
  const end = stored.indexOf(':', ENTRY_PREFIX.length);
  const status = Number(stored.slice(ENTRY_PREFIX.length, end));
  return end > 0 && validStatus(status) ? { status, body: stored.slice(end + 1) } : undefined;
}

function validStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 599;
}
