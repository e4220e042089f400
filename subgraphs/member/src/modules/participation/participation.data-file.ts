import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { ParticipationRecord } from './participation.entity';
import { defaultParticipationSharedWith } from './participation.schema';

/** `participations:` this member's confirmations, one per project. */
export const participationDataFile: DataFilePart = {
  label: 'participation',
  key: 'projectId',
  records: (file) => looseList(file.participations, ['participations']),
  entity: ParticipationRecord,
  rows: (data) => data.participations.map((p) => ({ projectId: p.projectId, role: p.role ?? null, visibility: p.visibility, sharedWith: p.sharedWith ?? defaultParticipationSharedWith(p.projectId) })),
  async export(em: EntityManager) {
    return (await em.find(ParticipationRecord, {}, { orderBy: { projectId: 'asc' } })).map((p) =>
      omitEmpty({ projectId: p.projectId, role: p.role ?? undefined, visibility: p.visibility, sharedWith: p.sharedWith }),
    );
  },
};
