import type { SupportKind } from '../../../../../schema/enums';
import { translationsCodec } from '../shared/field-codecs';
import { field, fieldTable, plainField } from '../shared/field-table';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { SupportRecord } from './support.entity';

/** The fields of an offer or a need (the two have the same), in data-file column order. */
export const supportFields = fieldTable(SupportRecord)({
  id: localIdField(),
  kind: plainField<SupportKind>(),
  title: plainField<string>(),
  description: field(translationsCodec, { type: 'descriptionTexts' }),
  languages: plainField<string[]>(),
  open: plainField<boolean>(),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
