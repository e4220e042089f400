import type { ServiceKind, ServiceStatus } from '../../../../../schema/enums';
import { field, fieldTable, optionalField, plainField } from '../shared/field-table';
import { translationsCodec } from '../shared/field-codecs';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { ServiceRecord } from './service.entity';

/**
 * A service's fields, in data-file column order: what `member import` stores, `member export`
 * writes, the write input holds and the `Service` type shows (its capacity is a kind of its own).
 */
export const serviceFields = fieldTable(ServiceRecord)({
  id: localIdField(),
  name: plainField<string>(),
  kind: plainField<ServiceKind>(),
  description: field(translationsCodec, { type: 'descriptionTexts' }),
  languages: plainField<string[]>(),
  regions: plainField<string[]>(),
  url: optionalField<string>(),
  software: optionalField<string>(),
  status: plainField<ServiceStatus>(),
  acceptingUsers: plainField<boolean>(),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
