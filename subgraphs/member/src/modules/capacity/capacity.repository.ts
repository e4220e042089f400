import { updatedSinceWhere } from '../shared/record-times.type';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import { CapacityRecord } from './capacity.entity';
import type { CapacityFilter } from './capacity.filter';

export function listCapacity(em: EntityManager, scope: AccessScope, filter: CapacityFilter = {}): Promise<CapacityRecord[]> {
  if (filter.members && !filter.members.includes(scope.owner)) return Promise.resolve([]);
  const conditions: FilterQuery<CapacityRecord>[] = [...(filter.resources?.length ? [{ resource: { $in: filter.resources } }] : []), ...updatedSinceWhere(filter.updatedSince)];
  const where: FilterQuery<CapacityRecord> = conditions.length ? { $and: conditions } : {};
  return findVisible(em, CapacityRecord, scope, where, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}
