import type { TrainingFormat } from '../../../../../schema/enums';
import { dateCodec, translationsCodec } from '../shared/field-codecs';
import { field, fieldTable, optionalField, plainField } from '../shared/field-table';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { TrainingRecord } from './training.entity';

/** A training session's fields, in data-file column order. */
export const trainingFields = fieldTable(TrainingRecord)({
  id: localIdField(),
  title: plainField<string>(),
  description: field(translationsCodec, { type: 'descriptionTexts' }),
  languages: plainField<string[]>(),
  format: plainField<TrainingFormat>(),
  region: optionalField<string>(),
  startsAt: field(dateCodec),
  endsAt: field(dateCodec, { optional: true }),
  seats: optionalField<number>(),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
