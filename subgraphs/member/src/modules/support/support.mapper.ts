import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { SupportRecord } from './support.entity';
import { supportFields } from './support.fields';
import type { SupportView } from './support.type';

/** Builds an offer or a need (`type`) from its record. */
export function toSupport<T extends SupportView>(type: new () => T, record: SupportRecord, scope: AccessScope): T {
  return Object.assign(new type(), recordTimes(record), toTypeFields(supportFields, record, scope), { member: memberRef(scope.owner) });
}
