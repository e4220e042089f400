import { globalId } from '../../../../../common/ids';
import { isOwnerCaller, type AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import type { ServiceRecord } from './service.entity';
import { ServiceType } from './service.type';

export function toService(record: ServiceRecord, scope: AccessScope): ServiceType {
  return Object.assign(new ServiceType(), {
    id: globalId(scope.owner, record.id),
    localId: record.id,
    member: memberRef(scope.owner),
    name: record.name,
    kind: record.kind,
    languages: record.languages,
    regions: record.regions,
    url: record.url ?? null,
    software: record.software ?? null,
    status: record.status,
    acceptingUsers: record.acceptingUsers,
    visibility: record.visibility,
    sharedWith: isOwnerCaller(scope) ? record.sharedWith : null,
    updatedAt: record.updatedAt,
    descriptionTexts: record.description,
  });
}
