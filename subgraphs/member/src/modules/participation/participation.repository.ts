import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../shared/list-limit';
import { ParticipationRecord } from './participation.entity';

/** The participations the caller may see, by project id. */
export function listParticipations(em: EntityManager, scope: AccessScope): Promise<ParticipationRecord[]> {
  return findVisible(em, ParticipationRecord, scope, {}, { orderBy: { projectId: 'asc' }, limit: MAX_LIST });
}
