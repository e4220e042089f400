import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReplayCache } from '../../../../common/auth/replay-cache';
import type { Logger } from '../../../../common/logger';

/**
 * The assertion replay cache in the member's own PostgreSQL, shared by all of the member's
 * processes (replicas behind a load balancer, a restarted process). The check is one atomic
 * statement: `INSERT … ON CONFLICT DO NOTHING` inserts the id, or inserts nothing when any
 * process accepted it before. Expired ids are deleted periodically (ids are random UUIDs, so an
 * expired row never blocks a new assertion; an expired assertion is refused by its `exp`).
 * @example
 * const replay = new PostgresReplayCache(orm, logger); ... replay.stop();
 */
export class PostgresReplayCache implements ReplayCache {
  private readonly table: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    cleanupEveryMs = 60_000,
  ) {
    this.table = `"${orm.config.get('schema')}"."assertion_replay"`;
    this.timer = setInterval(() => void this.cleanup(), cleanupEveryMs);
    this.timer.unref();
  }

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    // the same 5 s of grace as the in-memory cache, matching the verifier's clock tolerance
    const rows = await this.orm.em
      .getConnection()
      .execute<{ id: string }[]>(
        `insert into ${this.table} ("id", "expires_at") values (?, to_timestamp(?::double precision / 1000)) on conflict ("id") do nothing returning "id"`,
        [id.slice(0, 300), expiresAtMs + 5_000],
        'all',
      );
    return rows.length === 1;
  }

  /** Deletes expired ids; returns how many. */
  async cleanup(): Promise<number> {
    try {
      const result = await this.orm.em.getConnection().execute(`delete from ${this.table} where "expires_at" < now()`, [], 'run');
      return (result as { affectedRows?: number }).affectedRows ?? 0;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'assertion replay cache: cleanup failed; will retry');
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
