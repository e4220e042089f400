import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, FindOptions, QueryOrderMap } from '@mikro-orm/core';
import { visibilityWhere, type AccessScope } from './visibility';

/** Read options of `findVisible`: the order and a row limit, nothing that loads more. */
export type VisibleReadOptions<T> = Pick<FindOptions<T, never>, 'limit'> & { orderBy?: QueryOrderMap<T> };

/**
 * The one read path for shared records: every root list, lookup by id, `_entities` and nested
 * field loads through here, with the caller's visibility filter ANDed into the SQL.
 *
 * Reads are lean: one SELECT built by the ORM's query builder from the same filter (so the
 * visibility clause is the same SQL as before), returned as plain rows with the entity's property
 * names, without entity hydration, identity map or unit of work. Rows are read-only snapshots;
 * writes load their own managed entities.
 */
export function findVisible<T extends object>(em: EntityManager, entity: EntityName<T>, scope: AccessScope, where: FilterQuery<T>, options: VisibleReadOptions<T> = {}): Promise<T[]> {
  const filter = visibleFilter(scope, where);
  const qb = em
    .createQueryBuilder(entity)
    .select('*')
    .where(filter as never);
  if (options.orderBy) qb.orderBy(options.orderBy as never);
  if (options.limit !== undefined && options.limit !== null) qb.limit(options.limit);
  // As `em.find` does: driver errors become MikroORM exceptions (a lost database stays recognisable).
  return (qb.execute('all', true) as Promise<T[]>).catch((err: unknown) => {
    throw em.getDriver().convertException(err as Error);
  });
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
