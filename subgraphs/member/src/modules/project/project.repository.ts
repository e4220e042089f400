import { updatedSinceWhere } from '../shared/record-times.type';
import type { FilterQuery } from '@mikro-orm/core';
import type { AccessScope } from '../../access/visibility';
import type { ProjectRecord } from './project.entity';
import type { ProjectFilter } from './project.filter';

/** What a projects filter selects, as conditions (projects led here, or involving the members named). */
export function projectWhere(scope: AccessScope, filter: ProjectFilter = {}): FilterQuery<ProjectRecord>[] {
  const where: FilterQuery<ProjectRecord>[] = [...updatedSinceWhere(filter.updatedSince)];
  if (filter.areas?.length) where.push({ area: { $in: filter.areas } });
  if (filter.status?.length) where.push({ status: { $in: filter.status } });
  if (filter.members?.length && !filter.members.includes(scope.owner)) where.push({ invited: { $overlap: filter.members } });
  return where;
}
