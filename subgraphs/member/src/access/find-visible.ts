import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, FindOptions } from '@mikro-orm/core';
import { visibilityWhere, type AccessScope } from './visibility';

/**
 * The one read path for shared records: every root list, lookup by id, `_entities` and nested
 * field loads through here, with the caller's visibility filter ANDed into the SQL.
 */
export function findVisible<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: AccessScope,
  where: FilterQuery<T>,
  options?: FindOptions<T, never>,
): Promise<T[]> {
  const visible = visibilityWhere(scope);
  const filter = (Object.keys(visible).length === 0 ? where : { $and: [where, visible] }) as FilterQuery<T>;
  return em.find(entity, filter, options as FindOptions<T, never>);
}

/** Escapes LIKE wildcards in user text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
