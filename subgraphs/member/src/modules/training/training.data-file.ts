import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { TrainingRecord } from './training.entity';

/** `trainings:` the training and mentoring sessions the member offers. */
export const trainingDataFile: DataFilePart = {
  label: 'training',
  key: 'id',
  records: (file) => looseList(file.trainings, ['trainings']),
  entity: TrainingRecord,
  rows: (data) =>
    data.trainings.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      languages: t.languages,
      format: t.format,
      region: t.region ?? null,
      startsAt: t.startsAt,
      endsAt: t.endsAt ?? null,
      seats: t.seats ?? null,
      visibility: t.visibility,
      sharedWith: t.sharedWith,
    })),
  async export(em: EntityManager) {
    return (await em.find(TrainingRecord, {}, { orderBy: { id: 'asc' } })).map((t) =>
      omitEmpty({
        id: t.id,
        title: t.title,
        description: t.description,
        languages: t.languages,
        format: t.format,
        region: t.region ?? undefined,
        startsAt: isoDate(t.startsAt),
        endsAt: isoDate(t.endsAt),
        seats: t.seats ?? undefined,
        visibility: t.visibility,
        sharedWith: t.sharedWith,
      }),
    );
  },
};
