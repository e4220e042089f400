import { globalId } from '../../../../../common/ids';
import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { sharedWithFor } from '../shared/shared-with';
import type { SupportRecord } from './support.entity';
import type { SupportView } from './support.type';

/** Builds an offer or a need (`type`) from its record. */
export function toSupport<T extends SupportView>(type: new () => T, record: SupportRecord, scope: AccessScope): T {
  return Object.assign(new type(), {
    ...recordTimes(record),
    id: globalId(scope.owner, record.id),
    member: memberRef(scope.owner),
    kind: record.kind,
    title: record.title,
    languages: record.languages,
    open: record.open,
    visibility: record.visibility,
    version: record.version,
    sharedWith: sharedWithFor(scope, record),
    descriptionTexts: record.description,
  });
}
