import { Redis } from 'ioredis';
import type { Logger } from '../../../common/logger';

export interface RedisTimeouts {
  /** A command without an answer after this long fails, and marks Redis as hung. */
  commandTimeoutMs: number;
  /** A TCP connection not established after this long fails. */
  connectTimeoutMs: number;
}

const TIMED_OUT = 'Command timed out';

/**
 * A Redis connection for state shared by replicas that never blocks a request:
 * - commands fail fast while Redis is down (no offline queue, one retry at most);
 * - every command has a timeout, and the first one that times out marks Redis as hung: the
 *   connection is dropped and re-opened, so while Redis stays hung every command fails at once
 *   (the stream is not writable until Redis answers the handshake) instead of waiting again;
 * - `degraded` is true from then until Redis is ready again, for `/ready` and the metrics.
 * Every user of it falls back to local state on a failed command: rate limits in memory, cache
 * misses. A hung Redis is treated exactly like a dead one.
 */
export class GuardedRedis extends Redis {
  private hungOrDown = true;
  private readonly log: Logger;

  constructor(url: string, logger: Logger, timeouts: RedisTimeouts) {
    super(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: timeouts.commandTimeoutMs,
      connectTimeout: timeouts.connectTimeoutMs,
      retryStrategy: (times: number) => Math.min(times * 200, 5000),
    });
    this.log = logger;
    this.on('error', (err: Error) => this.markDegraded(`Redis unavailable (${err.message})`));
    this.on('ready', () => {
      if (!this.hungOrDown) return;
      this.hungOrDown = false;
      this.log.info('Redis is ready: shared state in use');
    });
  }

  /** True while Redis is down, hung, or not connected yet: the gateway runs on local state. */
  get degraded(): boolean {
    return this.hungOrDown || this.status !== 'ready';
  }

  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    const result = super.sendCommand(...args);
    // every command passes here (plain, scripts, pipelines): watch for the first timeout
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (err instanceof Error && err.message === TIMED_OUT) this.onHang();
      });
    }
    return result;
  }

  private onHang(): void {
    // once per hang: every command in flight times out together, and the status stays `ready`
    // until the dropped socket has closed
    if (this.hungOrDown || this.status !== 'ready') return;
    this.markDegraded(`Redis does not answer within ${this.options.commandTimeout} ms`);
    // drop the hung connection: until Redis answers a new handshake, commands fail at once
    this.disconnect(true);
  }

  private markDegraded(reason: string): void {
    if (!this.hungOrDown) this.log.warn({ reason }, 'Redis degraded: using local state (in-memory rate limits, cache misses) until it is back');
    this.hungOrDown = true;
  }
}

/** Opens the shared Redis connection; see `GuardedRedis`. */
export function connectRedis(url: string, logger: Logger, timeouts: RedisTimeouts = { commandTimeoutMs: 500, connectTimeoutMs: 2000 }): GuardedRedis {
  return new GuardedRedis(url, logger, timeouts);
}
