import { globalId } from '../../../../../common/ids';
import { isOwnerCaller, type AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import type { IncidentRecord } from './incident.entity';
import { IncidentType } from './incident.type';

export function toIncident(record: IncidentRecord, scope: AccessScope): IncidentType {
  return Object.assign(new IncidentType(), {
    id: globalId(scope.owner, record.id),
    member: memberRef(scope.owner),
    kind: record.kind,
    severity: record.severity,
    status: record.status,
    observedAt: record.observedAt,
    mitigation: record.mitigation ?? null,
    indicators: record.indicators,
    visibility: record.visibility,
    sharedWith: isOwnerCaller(scope) ? record.sharedWith : null,
    summaryTexts: record.summary,
  });
}
