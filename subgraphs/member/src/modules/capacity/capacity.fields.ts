import type { Resource, Visibility } from '../../../../../schema/enums';
import { canSee, stricter, type AccessScope } from '../../access/visibility';
import { asIs, dateCodec, numberCodec } from '../shared/field-codecs';
import { field, fieldTable, plainField } from '../shared/field-table';
import { localIdField, sharedWithField, versionField, visibilityField } from '../shared/shared-record.fields';
import { CapacityRecord } from './capacity.entity';

/** Whether the caller may see a figure's numbers: the stricter of its `visibility` and `numbersVisibility` applies to them. */
export function showsNumbers(record: CapacityRecord, scope: AccessScope): boolean {
  return canSee(scope, numbersVisibilityOf(record), record.sharedWith);
}

/** The level that applies to a figure's numbers. */
export function numbersVisibilityOf(record: CapacityRecord): Visibility {
  return stricter(record.visibility, record.numbersVisibility);
}

/**
 * A capacity figure's fields, in data-file column order. Its service is where the file nests it
 * (`services[].capacity`), not a column; a write names it by `serviceId`. A write is a new
 * measurement: `measuredAt` is the server's.
 */
export const capacityFields = fieldTable(CapacityRecord)({
  id: localIdField(),
  serviceId: field(asIs<string>(), { file: null, type: 'localServiceId', optional: true }),
  resource: plainField<Resource>(),
  total: field(numberCodec, { visibility: showsNumbers }),
  used: field(numberCodec, { visibility: showsNumbers }),
  measuredAt: field(dateCodec, { input: null }),
  visibility: visibilityField(),
  numbersVisibility: field(asIs<Visibility>(), { optional: true, type: null }),
  sharedWith: sharedWithField(),
  version: versionField(),
});
