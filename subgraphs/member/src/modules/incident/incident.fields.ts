import type { IncidentKind, IncidentStatus, Severity } from '../../../../../schema/enums';
import type { Indicator } from '../../../../../common/indicators';
import { dateCodec, translationsCodec } from '../shared/field-codecs';
import { field, fieldTable, optionalField, plainField } from '../shared/field-table';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { IncidentRecord } from './incident.entity';

/** An incident's fields, in data-file column order (its indicators are also indexed on their own, see incident.repository). */
export const incidentFields = fieldTable(IncidentRecord)({
  id: localIdField(),
  kind: plainField<IncidentKind>(),
  severity: plainField<Severity>(),
  status: plainField<IncidentStatus>(),
  observedAt: field(dateCodec),
  summary: field(translationsCodec, { type: 'summaryTexts' }),
  mitigation: optionalField<string>(),
  indicators: plainField<Indicator[]>(),
  visibility: visibilityField(),
  sharedWith: sharedWithField(),
  version: versionField(),
});
