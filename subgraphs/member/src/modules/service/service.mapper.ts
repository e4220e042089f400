import { globalId } from '../../../../../common/ids';
import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { sharedWithFor } from '../shared/shared-with';
import type { ServiceRecord } from './service.entity';
import { ServiceType } from './service.type';

export function toService(record: ServiceRecord, scope: AccessScope): ServiceType {
  return Object.assign(new ServiceType(), {
    ...recordTimes(record),
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
    version: record.version,
    sharedWith: sharedWithFor(scope, record),
    descriptionTexts: record.description,
  });
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public fields of a service that an attestation covers. */
export function signedServiceFields(s: ServiceType): Record<string, unknown> {
  return {
    id: s.id,
    member: s.member.id,
    name: s.name,
    kind: s.kind,
    description: s.descriptionTexts,
    languages: s.languages,
    regions: s.regions,
    url: s.url ?? null,
    software: s.software ?? null,
    status: s.status,
    acceptingUsers: s.acceptingUsers,
    visibility: s.visibility,
    updatedAt: iso(s.updatedAt),
  };
}
