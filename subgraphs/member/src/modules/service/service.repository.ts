import { updatedSinceWhere } from '../shared/record-times.type';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible, likePattern } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { ServiceRecord } from './service.entity';
import { MAX_LIST } from '../shared/list-limit';
import type { ServiceFilter } from './service.filter';

/** The services the caller may see, filtered, in local id order. */
export function listServices(em: EntityManager, scope: AccessScope, filter: ServiceFilter = {}, limit?: number | null): Promise<ServiceRecord[]> {
  if (filter.members && !filter.members.includes(scope.owner)) return Promise.resolve([]);
  const where: FilterQuery<ServiceRecord>[] = [...updatedSinceWhere(filter.updatedSince)];
  if (filter.kinds?.length) where.push({ kind: { $in: filter.kinds } });
  if (filter.status?.length) where.push({ status: { $in: filter.status } });
  if (filter.regions?.length) where.push({ regions: { $overlap: filter.regions } });
  if (filter.languages?.length) where.push({ languages: { $overlap: filter.languages } });
  if (filter.acceptingUsers !== undefined && filter.acceptingUsers !== null) where.push({ acceptingUsers: filter.acceptingUsers });
  if (filter.text) {
    const pattern = likePattern(filter.text.slice(0, 200));
    where.push({
      $or: [{ name: { $ilike: pattern } }, { software: { $ilike: pattern } }, { [raw('description::text')]: { $ilike: pattern } }],
    } as FilterQuery<ServiceRecord>);
  }
  const max = Math.min(Math.max(limit ?? MAX_LIST, 0), MAX_LIST);
  if (max === 0) return Promise.resolve([]);
  return findVisible(em, ServiceRecord, scope, where.length ? { $and: where } : {}, { orderBy: { id: 'asc' }, limit: max });
}
