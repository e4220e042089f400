import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { ParticipationRecord } from './participation.entity';
import { participationFields } from './participation.fields';
import { defaultParticipationSharedWith } from './participation.schema';

/** `participations:` this member's confirmations, one per project. */
export const participationDataFile: DataFilePart = {
  label: 'participation',
  key: 'projectId',
  records: (file) => looseList(file.participations, ['participations']),
  entity: ParticipationRecord,
  rows: (data) => data.participations.map((p) => ({ ...fromFileRow(participationFields, p), sharedWith: p.sharedWith ?? defaultParticipationSharedWith(p.projectId) })),
  async export(em: EntityManager) {
    return (await em.find(ParticipationRecord, {}, { orderBy: { projectId: 'asc' } })).map((p) => toFileRow(participationFields, p));
  },
};
