import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { IncidentRecord } from './incident.entity';
import { incidentFields } from './incident.fields';
import { IncidentType } from './incident.type';

export function toIncident(record: IncidentRecord, scope: AccessScope): IncidentType {
  return Object.assign(new IncidentType(), recordTimes(record), toTypeFields(incidentFields, record, scope), { member: memberRef(scope.owner) });
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public fields of an incident that an attestation covers. */
export function signedIncidentFields(i: IncidentType): Record<string, unknown> {
  return {
    id: i.id,
    member: i.member.id,
    kind: i.kind,
    severity: i.severity,
    status: i.status,
    observedAt: iso(i.observedAt),
    summary: i.summaryTexts,
    mitigation: i.mitigation ?? null,
    indicators: i.indicators,
    visibility: i.visibility,
  };
}
