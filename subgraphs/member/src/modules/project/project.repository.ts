import { updatedSinceWhere } from '../shared/record-times.type';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import { ProjectRecord } from './project.entity';
import type { ProjectFilter } from './project.filter';

export function listProjects(em: EntityManager, scope: AccessScope, filter: ProjectFilter = {}): Promise<ProjectRecord[]> {
  const where: FilterQuery<ProjectRecord>[] = [...updatedSinceWhere(filter.updatedSince)];
  if (filter.areas?.length) where.push({ area: { $in: filter.areas } });
  if (filter.status?.length) where.push({ status: { $in: filter.status } });
  if (filter.members?.length && !filter.members.includes(scope.owner)) where.push({ invited: { $overlap: filter.members } });
  return findVisible(em, ProjectRecord, scope, where.length ? { $and: where } : {}, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}
