import { asIs } from '../shared/field-codecs';
import { field, fieldTable, optionalField, plainField } from '../shared/field-table';
import { sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { ParticipationRecord } from './participation.entity';

/** A participation's fields, in data-file column order. It is keyed by the project's global id, shown as it is. */
export const participationFields = fieldTable(ParticipationRecord)({
  projectId: plainField<string>(),
  role: optionalField<string>(),
  confirmedAt: field(asIs<Date>(), { file: null, input: null }),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
