import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '../../../../common/logger';
import { RECORD_KINDS } from '../modules';
import { RecordTimesSubscriber } from '../modules/shared/record-times.subscriber';
import { migrationsList } from './migrations';

/** The entities of every listed record kind (their tables come from the committed migrations). */
export const ENTITIES = RECORD_KINDS.flatMap((kind) => kind.entities);

export interface DatabaseOptions {
  /** postgres://… of the member's PostgreSQL (or of the embedded one). */
  url: string;
  /** The PostgreSQL schema that holds this member's tables. */
  schema: string;
  poolMax?: number;
  /** Timeouts that keep a down or hung database from holding requests; see `DATABASE_TIMEOUTS`. */
  timeouts?: Partial<DatabaseTimeouts>;
  /** Called with each SQL statement; used by the benchmark to count queries. */
  onQuery?: (sql: string) => void;
}

export interface DatabaseTimeouts {
  /**
   * The longest one SQL statement may run. PostgreSQL cancels it (`statement_timeout`), and the
   * client gives up 1 s later on its own (`query_timeout`) for a database that hangs without
   * answering at all (frozen, or a network that drops packets).
   */
  statementMs: number;
  /** The longest to wait for a new connection, and for a free one from the pool. */
  connectMs: number;
  /** PostgreSQL ends a session left idle inside a transaction for this long, releasing its locks. */
  idleInTransactionMs: number;
}

export const DATABASE_TIMEOUTS: DatabaseTimeouts = { statementMs: 5_000, connectMs: 5_000, idleInTransactionMs: 30_000 };

/** pg and knex settings for the timeouts (merged into MikroORM's `driverOptions`). */
export function timeoutDriverOptions(given: Partial<DatabaseTimeouts> = {}) {
  const t = { ...DATABASE_TIMEOUTS, ...given };
  return {
    acquireConnectionTimeout: t.connectMs,
    connection: {
      statement_timeout: t.statementMs,
      query_timeout: t.statementMs + 1_000,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
      connectionTimeoutMillis: t.connectMs,
      keepAlive: true,
    },
  };
}

/**
 * Opens the member's database and applies the committed migrations (never `schema:update`).
 */
export async function openDatabase(opts: DatabaseOptions, logger: Logger): Promise<MikroORM> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new TypeError(`database schema "${opts.schema}" must match [a-z_][a-z0-9_]* (at most 63 characters)`);
  }
  const orm = await MikroORM.init({
    clientUrl: opts.url,
    schema: opts.schema,
    entities: ENTITIES,
    subscribers: [new RecordTimesSubscriber()],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: opts.poolMax ?? 5, idleTimeoutMillis: 30_000 },
    driverOptions: timeoutDriverOptions(opts.timeouts),
    allowGlobalContext: false,
    debug: opts.onQuery ? ['query'] : false,
    colors: false,
    logger: opts.onQuery ? (message: string) => opts.onQuery!(message) : () => undefined,
    ensureDatabase: false,
  });
  const migrator = orm.getMigrator();
  const pending = await migrator.getPendingMigrations();
  if (pending.length > 0) {
    logger.info({ pending: pending.map((m) => m.name), schema: opts.schema }, 'applying database migrations');
    await migrator.up();
  }
  return orm;
}
