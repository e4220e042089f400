import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { ServiceRecord } from './service.entity';
import { serviceFields } from './service.fields';
import { ServiceType } from './service.type';

export function toService(record: ServiceRecord, scope: AccessScope): ServiceType {
  return Object.assign(new ServiceType(), recordTimes(record), toTypeFields(serviceFields, record, scope), { localId: record.id, member: memberRef(scope.owner) });
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
