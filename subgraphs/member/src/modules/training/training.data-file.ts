import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { TrainingRecord } from './training.entity';
import { trainingFields } from './training.fields';

/** `trainings:` the training and mentoring sessions the member offers. */
export const trainingDataFile: DataFilePart = {
  label: 'training',
  key: 'id',
  records: (file) => looseList(file.trainings, ['trainings']),
  entity: TrainingRecord,
  rows: (data) => data.trainings.map((t) => fromFileRow(trainingFields, t)),
  async export(em: EntityManager) {
    return (await em.find(TrainingRecord, {}, { orderBy: { id: 'asc' } })).map((t) => toFileRow(trainingFields, t));
  },
};
