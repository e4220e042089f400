import type { RecordWrites } from '../shared/record-writes';
import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import { TrainingRecord } from './training.entity';
import { TrainingInput } from './training.input';
import { toTraining } from './training.mapper';
import { trainingSchema } from './training.schema';
import { TrainingType } from './training.type';

/** How a training session is written through the API (`upsertTraining`, `updateTraining`). */
export const trainingWrites: RecordWrites<TrainingRecord> = {
  typeName: 'Training',
  type: TrainingType,
  input: TrainingInput,
  entity: TrainingRecord,
  toInput: (t) => ({
    id: t.id,
    title: t.title,
    description: Object.entries(t.description).map(([lang, text]) => ({ lang, text })),
    languages: t.languages,
    format: t.format,
    region: t.region ?? undefined,
    startsAt: t.startsAt,
    endsAt: t.endsAt ?? undefined,
    seats: t.seats ?? undefined,
    visibility: t.visibility,
    sharedWith: t.sharedWith,
  }),
  async write(_ctx, em, input, existing) {
    const data = validateInput(trainingSchema, { ...stripNulls(input), description: toTranslations(input.description as never) });
    const values = { ...data, region: data.region ?? null, endsAt: data.endsAt ?? null, seats: data.seats ?? null };
    if (existing) return em.assign(existing, values);
    const created = em.create(TrainingRecord, values);
    em.persist(created);
    return created;
  },
  toType: toTraining,
};
