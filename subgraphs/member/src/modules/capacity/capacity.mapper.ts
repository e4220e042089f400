import { globalId } from '../../../../../common/ids';
import { recordTimes } from '../shared/record-times.type';
import { canSee, stricter, type AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { sharedWithFor } from '../shared/shared-with';
import type { CapacityRecord } from './capacity.entity';
import { CapacityType } from './capacity.type';

/** Builds the contract type; numbers come back null (no error) when their level hides them. */
export function toCapacity(record: CapacityRecord, scope: AccessScope): CapacityType {
  const numbersVisibility = stricter(record.visibility, record.numbersVisibility);
  const showNumbers = canSee(scope, numbersVisibility, record.sharedWith);
  const total = Number(record.total);
  const used = Number(record.used);
  return Object.assign(new CapacityType(), {
    ...recordTimes(record),
    id: globalId(scope.owner, record.id),
    member: memberRef(scope.owner),
    resource: record.resource,
    total: showNumbers ? total : null,
    used: showNumbers ? used : null,
    available: showNumbers ? Math.max(total - used, 0) : null,
    measuredAt: record.measuredAt,
    visibility: record.visibility,
    version: record.version,
    numbersVisibility,
    sharedWith: sharedWithFor(scope, record),
    localServiceId: record.serviceId ?? null,
  });
}
