import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { CapacityRecord } from './capacity.entity';
import { capacityFields, numbersVisibilityOf } from './capacity.fields';
import { CapacityType } from './capacity.type';

/** Builds the contract type; numbers come back null (no error) when their level hides them. */
export function toCapacity(record: CapacityRecord, scope: AccessScope): CapacityType {
  const fields = toTypeFields(capacityFields, record, scope);
  return Object.assign(new CapacityType(), recordTimes(record), fields, {
    member: memberRef(scope.owner),
    available: fields.total === null || fields.used === null ? null : Math.max(fields.total - fields.used, 0),
    numbersVisibility: numbersVisibilityOf(record),
  });
}
