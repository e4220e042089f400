import type { RecordWrites } from '../shared/record-writes';
import { validateInput } from '../shared/write-input';
import { fromValidInput, inputToValidate, toInputRow } from '../shared/field-table';
import { TrainingRecord } from './training.entity';
import { trainingFields } from './training.fields';
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
  toInput: (t) => toInputRow(trainingFields, t),
  async write(_ctx, em, input, existing) {
    const values = fromValidInput(trainingFields, validateInput(trainingSchema, inputToValidate(trainingFields, input)));
    if (existing) return em.assign(existing, values);
    const created = em.create(TrainingRecord, values);
    em.persist(created);
    return created;
  },
  toType: toTraining,
};
