import { updatedSinceWhere } from '../shared/record-times.type';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible, likePattern } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import { TrainingRecord } from './training.entity';
import type { TrainingFilter } from './training.filter';

/** What a trainings filter selects, as conditions; null when nothing at this member can match. */
export function trainingWhere(scope: AccessScope, filter: TrainingFilter = {}): FilterQuery<TrainingRecord>[] | null {
  if (filter.members && !filter.members.includes(scope.owner)) return null;
  const where: FilterQuery<TrainingRecord>[] = [...updatedSinceWhere(filter.updatedSince)];
  if (filter.formats?.length) where.push({ format: { $in: filter.formats } });
  if (filter.languages?.length) where.push({ languages: { $overlap: filter.languages } });
  if (filter.regions?.length) where.push({ region: { $in: filter.regions } });
  if (filter.startsAfter) where.push({ startsAt: { $gte: filter.startsAfter } });
  if (filter.startsBefore) where.push({ startsAt: { $lt: filter.startsBefore } });
  if (filter.text) {
    const pattern = likePattern(filter.text.slice(0, 200));
    where.push({ $or: [{ title: { $ilike: pattern } }, { [raw('description::text')]: { $ilike: pattern } }] } as FilterQuery<TrainingRecord>);
  }
  return where;
}

/** The trainings the caller may see, filtered, soonest first (then by local id). */
export function listTrainings(em: EntityManager, scope: AccessScope, filter: TrainingFilter = {}, limit?: number | null): Promise<TrainingRecord[]> {
  const where = trainingWhere(scope, filter);
  const max = Math.min(Math.max(limit ?? MAX_LIST, 0), MAX_LIST);
  if (!where || max === 0) return Promise.resolve([]);
  return findVisible(em, TrainingRecord, scope, where.length ? { $and: where } : {}, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: max });
}
