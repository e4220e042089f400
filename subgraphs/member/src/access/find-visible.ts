import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, FindOptions, QueryOrderMap } from '@mikro-orm/core';
import { LRUCache } from 'lru-cache';
import { canRunPrepared, prepareSelect, runPrepared, type PreparedSelect } from '../db/prepared-select';
import { visibilityWhere, type AccessScope } from './visibility';

/**
 * An order that JSON cannot state (raw SQL, such as a list's `collate "C"` keys), known by an exact
 * name and rendered only when its statement is built: two orders with one name render the same
 * SQL for an entity. A raw fragment made for every read would also make every read build its
 * statement again.
 */
export interface NamedOrder<T> {
  name: string;
  render(): QueryOrderMap<T>;
}

/** Read options of `findVisible`: the order and a row limit, nothing that loads more. */
export type VisibleReadOptions<T> = Pick<FindOptions<T, never>, 'limit'> & { orderBy?: QueryOrderMap<T> | NamedOrder<T> };

/** A SELECT as the query builder renders it: knex SQL with `?` placeholders, and its bindings. */
interface BuiltSelect {
  sql: string;
  bindings: readonly unknown[];
  /** A kept statement's prepared form. */
  prepared?: PreparedSelect;
}

/** Statements kept per database (ORM): the gateway asks the same few reads over and over. */
const STATEMENTS_PER_DATABASE = 500;
/** Longer keys (filters with long texts or many values) are built each time, never kept. */
const MAX_KEY_LENGTH = 4_000;
const built = new WeakMap<object, LRUCache<string, BuiltSelect>>();

/**
 * The one read path for shared records: every root list, lookup by id, `_entities` and nested
 * field loads through here, with the caller's visibility filter ANDed into the SQL.
 *
 * Reads are lean: one SELECT built by the ORM's query builder from the same filter (so the
 * visibility clause is the same SQL as before), returned as plain rows with the entity's property
 * names, without entity hydration, identity map or unit of work. Rows are read-only snapshots;
 * writes load their own managed entities.
 *
 * The built statement is kept per exact read (entity, filter with the visibility clause, order,
 * limit): the same read again sends the same SQL and bindings without building it. The key is
 * the JSON of everything the query builder reads (a `NamedOrder` by its name), so two reads share
 * a statement only when the builder would render the same one; reads with raw SQL fragments in
 * the filter or values JSON cannot state exactly (dates, class instances) are built each time.
 * A kept statement runs as a PostgreSQL prepared statement (db/prepared-select.ts), outside
 * transactions: parsed and planned once per connection, its values sent as parameters.
 */
export function findVisible<T extends object>(em: EntityManager, entity: EntityName<T>, scope: AccessScope, where: FilterQuery<T>, options: VisibleReadOptions<T> = {}): Promise<T[]> {
  const filter = visibleFilter(scope, where);
  const meta = em.getMetadata().get<T>(entityNameOf(entity));
  const driver = em.getDriver();
  const named = isNamedOrder(options.orderBy) ? options.orderBy : undefined;
  const key = statementKey(meta.className, filter, named ? { limit: options.limit, order: named.name } : options);
  let cache = built.get(driver);
  if (!cache) built.set(driver, (cache = new LRUCache({ max: STATEMENTS_PER_DATABASE })));
  let statement = key === undefined ? undefined : cache.get(key);
  if (!statement) {
    const qb = em
      .createQueryBuilder(entity)
      .select('*')
      .where(filter as never);
    if (options.orderBy) qb.orderBy((named ? named.render() : options.orderBy) as never);
    if (options.limit !== undefined && options.limit !== null) qb.limit(options.limit);
    const native = qb.toQuery()._sql as unknown as BuiltSelect;
    statement = { sql: native.sql, bindings: native.bindings };
    if (key !== undefined) cache.set(key, (statement = { ...statement, prepared: prepareSelect(em, native.sql) }));
  }
  const rows =
    statement.prepared && canRunPrepared(em)
      ? runPrepared(em, statement.prepared, statement.bindings)
      : em.getConnection('read').execute<Record<string, unknown>[]>(statement.sql, [...statement.bindings], 'all', em.getTransactionContext());
  // As `em.find` does: driver errors become MikroORM exceptions (a lost database stays recognisable).
  return (rows.then((list) => list.map((row) => driver.mapResult(row as never, meta) as T)) as Promise<T[]>).catch((err: unknown) => {
    throw driver.convertException(err as Error);
  });
}

function isNamedOrder<T>(order: QueryOrderMap<T> | NamedOrder<T> | undefined): order is NamedOrder<T> {
  return order !== undefined && typeof (order as NamedOrder<T>).render === 'function' && typeof (order as NamedOrder<T>).name === 'string';
}

function entityNameOf<T>(entity: EntityName<T>): string {
  return typeof entity === 'string' ? entity : 'name' in (entity as object) ? (entity as { name: string }).name : String(entity);
}

/** The JSON of a read, or undefined when JSON cannot state it exactly (raw fragments, non-plain values). */
function statementKey(entity: string, filter: unknown, options: object): string | undefined {
  let exact = true;
  const key = JSON.stringify([entity, filter, options], function (this: Record<string, unknown>, name: string, value: unknown) {
    const original = this[name]; // before toJSON (a Date arrives here as its string)
    if (name.startsWith('[raw]') || (typeof value === 'string' && value.startsWith('[raw]'))) exact = false;
    if (original !== null && typeof original === 'object' && !Array.isArray(original)) {
      const proto = Object.getPrototypeOf(original);
      if (proto !== Object.prototype && proto !== null) exact = false;
    }
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') exact = false;
    return value;
  });
  return exact && key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/**
 * How many records the caller may see among those `where` selects: the same filter as
 * `findVisible` (one visibility path), counted in one statement.
 */
export function countVisible<T extends object>(em: EntityManager, entity: EntityName<T>, scope: AccessScope, where: FilterQuery<T>): Promise<number> {
  const qb = em
    .createQueryBuilder(entity)
    .count()
    .where(visibleFilter(scope, where) as never);
  return (qb.execute('get', false) as Promise<{ count: number | string }>).then(
    (row) => Number(row.count),
    (err: unknown) => {
      throw em.getDriver().convertException(err as Error);
    },
  );
}

/** The caller's visibility filter ANDed into `where`. */
function visibleFilter<T>(scope: AccessScope, where: FilterQuery<T>): FilterQuery<T> {
  const visible = visibilityWhere(scope);
  return (Object.keys(visible).length === 0 ? where : { $and: [where, visible] }) as FilterQuery<T>;
}

/** Escapes LIKE wildcards in user text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
