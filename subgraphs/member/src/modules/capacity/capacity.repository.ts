import { updatedSinceWhere } from '../shared/record-times.type';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import { CapacityRecord } from './capacity.entity';
import type { CapacityFilter } from './capacity.filter';

/** What a capacity filter selects, as conditions; null when nothing at this member can match. */
export function capacityWhere(scope: AccessScope, filter: CapacityFilter = {}): FilterQuery<CapacityRecord>[] | null {
  if (filter.members && !filter.members.includes(scope.owner)) return null;
  return [...(filter.resources?.length ? [{ resource: { $in: filter.resources } }] : []), ...updatedSinceWhere(filter.updatedSince)];
}

/** The capacity the caller may see (a member's whole list, `Member.capacity`), in local id order. */
export function listCapacity(em: EntityManager, scope: AccessScope): Promise<CapacityRecord[]> {
  return findVisible(em, CapacityRecord, scope, {}, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}
