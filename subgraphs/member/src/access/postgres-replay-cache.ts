import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReplayCache } from '../../../../common/auth/replay-cache';
import type { Logger } from '../../../../common/logger';
import { statementNameOn } from '../db/prepared-select';

/** Ids sent in one statement at most. */
const MAX_BATCH = 200;

/** The part of a pooled `pg` connection the check uses: one named (prepared) statement. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: { id: string }[] }>;
}

/** The knex client under MikroORM: the member's own connection pool. */
interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): unknown;
}

interface Pending {
  id: string;
  expiresAtMs: number;
  resolve(fresh: boolean): void;
  reject(err: unknown): void;
}

/**
 * The assertion replay cache in the member's own PostgreSQL, shared by all of the member's
 * processes (replicas behind a load balancer, a restarted process). The check is one atomic
 * statement: `INSERT … ON CONFLICT DO NOTHING` inserts the id, or inserts nothing when any
 * process accepted it before. Expired ids are deleted periodically (ids are random UUIDs, so an
 * expired row never blocks a new assertion; an expired assertion is refused by its `exp`).
 *
 * Ids that arrive in the same turn of the event loop go in one statement (one row each; the
 * `RETURNING` list names the ones that were new), so concurrent sub-requests share one database
 * round trip instead of queueing for the pool one by one. Each caller still waits for its own
 * answer from the database: no id is accepted before PostgreSQL has stored it. The same id twice
 * in one batch is a replay for every copy but the first.
 *
 * The statement is one text for any number of ids (two arrays, `unnest`), sent as a prepared
 * statement on the member's own pool: PostgreSQL parses and plans it once per connection, and the
 * ids travel as parameters, never spliced into SQL.
 * @example
 * const replay = new PostgresReplayCache(orm, logger); ... replay.stop();
 */
export class PostgresReplayCache implements ReplayCache {
  private readonly table: string;
  private readonly insert: { name: string; text: string };
  private readonly timer: NodeJS.Timeout;
  private pending: Pending[] = [];
  private flushing = false;
  /** Statements sent and ids checked (for tests and benchmarks). */
  readonly stats = { statements: 0, ids: 0 };

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    cleanupEveryMs = 60_000,
  ) {
    this.table = `"${orm.config.get('schema')}"."assertion_replay"`;
    const text = `insert into ${this.table} ("id", "expires_at") select "id", to_timestamp("ms" / 1000) from unnest($1::text[], $2::double precision[]) as "fresh"("id", "ms") on conflict ("id") do nothing returning "id"`;
    // one name per text: a pooled connection may serve two member schemas (tests), each its own statement
    this.insert = { name: `infrared_replay_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text };
    this.timer = setInterval(() => void this.cleanup(), cleanupEveryMs);
    this.timer.unref();
  }

  remember(id: string, expiresAtMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      // the same 5 s of grace as the in-memory cache, matching the verifier's clock tolerance
      this.pending.push({ id: id.slice(0, 300), expiresAtMs: expiresAtMs + 5_000, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Several ids at once: asked in the same turn, they join one group-commit INSERT. */
  rememberAll(entries: readonly { id: string; expiresAtMs: number }[]): Promise<boolean[]> {
    return Promise.all(entries.map((e) => this.remember(e.id, e.expiresAtMs)));
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

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const first = new Map<string, Pending>();
      for (const entry of batch) {
        if (first.has(entry.id)) entry.resolve(false);
        else first.set(entry.id, entry);
      }
      const entries = [...first.values()];
      try {
        const rows = await this.send(
          entries.map((e) => e.id),
          entries.map((e) => e.expiresAtMs),
        );
        this.stats.statements++;
        this.stats.ids += entries.length;
        const stored = new Set(rows.map((r) => r.id));
        for (const entry of entries) entry.resolve(stored.has(entry.id));
      } catch (err) {
        for (const entry of entries) entry.reject(err);
      }
    }
    this.flushing = false;
  }

  private async send(ids: string[], expiresAtMs: number[]): Promise<{ id: string }[]> {
    const pool = this.orm.em.getConnection().getKnex().client as unknown as PoolClient;
    const connection = await pool.acquireConnection();
    try {
      return (await connection.query({ name: statementNameOn(connection, this.insert.name), text: this.insert.text, values: [ids, expiresAtMs] })).rows;
    } finally {
      pool.releaseConnection(connection);
    }
  }
}
