import { updatedSinceWhere } from '../shared/record-times.type';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible, likePattern } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { ServiceRecord } from './service.entity';
import { MAX_LIST } from '../shared/list-limit';
import type { ServiceFilter } from './service.filter';

/** What a services filter selects, as conditions; null when nothing at this member can match. */
export function serviceWhere(scope: AccessScope, filter: ServiceFilter = {}): FilterQuery<ServiceRecord>[] | null {
  if (filter.members && !filter.members.includes(scope.owner)) return null;
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
  return where;
}

/** The services the caller may see (a member's whole list, `Member.services`), in local id order. */
export function listServices(em: EntityManager, scope: AccessScope): Promise<ServiceRecord[]> {
  return findVisible(em, ServiceRecord, scope, {}, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}
