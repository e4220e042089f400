import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../common/logger';

/**
 * Forgets change-log rows (tombstones included) older than the retention, and remembers the
 * highest sequence it dropped, so a cursor from before it fails with CURSOR_EXPIRED instead of
 * silently missing removals. Runs periodically in every member process (the statement is safe to
 * run concurrently).
 * @example const purge = new TombstonePurge(orm, logger, 30); ... purge.stop();
 */
export class TombstonePurge {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    private readonly retentionDays: number,
    everyMs = 60 * 60_000,
  ) {
    this.timer = setInterval(() => void this.purge(), everyMs);
    this.timer.unref();
  }

  /** Deletes what is past the retention; returns how many rows. */
  async purge(now: Date = new Date()): Promise<number> {
    const s = `"${this.orm.config.get('schema')}"`;
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    try {
      const rows = await this.orm.em.getConnection().execute<{ count: string | number }[]>(
        `with gone as (delete from ${s}."record_change" where "at" < ? returning "seq"),
              mark as (update ${s}."change_feed_state" set "purged_through" = greatest("purged_through", (select coalesce(max("seq"), 0) from gone)) where "id" = 1)
         select count(*) as "count" from gone`,
        [cutoff],
        'all',
      );
      return Number(rows[0]?.count ?? 0);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'change feed: tombstone purge failed; will retry');
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
