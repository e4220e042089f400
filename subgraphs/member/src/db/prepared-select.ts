import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A kept SELECT as a PostgreSQL prepared statement: its positional text and a name per text. */
export interface PreparedSelect {
  name: string;
  text: string;
}

/** The part of a pooled `pg` connection used here. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The knex client under MikroORM: the member's connection pool and its placeholder syntax. */
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): unknown;
  positionBindings(sql: string): string;
}

function knexClient(em: EntityManager): KnexClient {
  return em.getConnection('read').getKnex().client as unknown as KnexClient;
}

/** Each pooled connection's own number, for the names of the statements it prepares. */
const connectionIds = new WeakMap<object, number>();
let lastConnectionId = 0;
/** This process: member processes that share the embedded PostgreSQL each number their connections from 1. */
const PROCESS = process.pid.toString(36);

/**
 * The name `connection` prepares `name` under: unique to the connection. On a real PostgreSQL
 * each connection is its own session, with its own prepared statements, so this changes nothing
 * there; the embedded PostgreSQL (PGlite) is one session that every connection shares, where two
 * connections preparing one name would collide ("prepared statement … already exists"),
 * also when they belong to different processes.
 */
export function statementNameOn(connection: object, name: string): string {
  let id = connectionIds.get(connection);
  if (id === undefined) connectionIds.set(connection, (id = ++lastConnectionId));
  return `${name}_${PROCESS}_${id.toString(36)}`;
}

/** The prepared form of a query-builder statement (knex `?` placeholders), named by its text. */
export function prepareSelect(em: EntityManager, sql: string): PreparedSelect {
  const text = knexClient(em).positionBindings(sql);
  return { name: `infrared_read_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}

/**
 * Whether a read may go straight to a pooled connection as a prepared statement: not inside a
 * transaction (its reads belong on the transaction's connection), and not while the ORM logs
 * every statement (the benchmarks count SQL through that log).
 */
export function canRunPrepared(em: EntityManager): boolean {
  return !em.getTransactionContext() && !em.config.get('debug');
}

/** Reads run and reads that joined an identical one (for tests and benchmarks). */
export const preparedReadStats = { sent: 0, joined: 0 };

/** Per pool: identical reads asked for and not sent yet, by statement name and values. */
const unsent = new WeakMap<object, Map<string, Promise<Record<string, unknown>[]>>>();
/** Reads with longer values (long texts, many ids) never join: their key would cost more than it saves. */
const MAX_JOIN_KEY = 2_000;

/**
 * Runs a prepared SELECT on a connection of the member's pool: PostgreSQL parses and plans the
 * text once per connection, and later runs send only the values (bound as parameters, never
 * spliced into SQL). The number of names a connection holds is bounded by the distinct texts the
 * statement cache keeps producing: they differ in structure only, never in values.
 *
 * An identical read (the same statement and the same values, on the same pool) that is still
 * waiting for a connection is joined instead of sent again: concurrent sub-requests of one caller
 * ask the same reads, and under load they queue for the pool together. A read is joined only
 * until it is sent, so every request that shares its rows arrived before PostgreSQL took the
 * statement's snapshot: each sees what a read of its own, sent then, would have seen. Values are
 * part of the key, so the caller's visibility values are too: callers that may see different
 * rows never share. The rows are shared as they came from the driver; findVisible maps each
 * request's copy, and reads never change a row's values.
 */
export function runPrepared(em: EntityManager, statement: PreparedSelect, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const pool = knexClient(em);
  const key = joinKey(statement, values);
  if (key === undefined) return send(pool, statement, values);
  let waiting = unsent.get(pool);
  if (!waiting) unsent.set(pool, (waiting = new Map()));
  const joined = waiting.get(key);
  if (joined) {
    preparedReadStats.joined++;
    return joined;
  }
  const queue = waiting;
  const read = send(pool, statement, values, () => {
    if (queue.get(key) === read) queue.delete(key);
  });
  queue.set(key, read);
  return read;
}

/** Sends a read once a connection is free; `sending` runs just before it goes (or when no connection came). */
async function send(pool: KnexClient, statement: PreparedSelect, values: readonly unknown[], sending?: () => void): Promise<Record<string, unknown>[]> {
  let connection: PgConnection;
  try {
    connection = await pool.acquireConnection();
  } finally {
    sending?.();
  }
  try {
    preparedReadStats.sent++;
    return (await connection.query({ name: statementNameOn(connection, statement.name), text: statement.text, values: [...values] })).rows;
  } finally {
    pool.releaseConnection(connection);
  }
}

/** The statement and its exact values, or undefined when JSON cannot state the values exactly. */
function joinKey(statement: PreparedSelect, values: readonly unknown[]): string | undefined {
  for (const value of values) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) continue;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) continue;
    return undefined;
  }
  const key = `${statement.name}\n${JSON.stringify(values)}`;
  return key.length <= MAX_JOIN_KEY ? key : undefined;
}
