import { globalId } from '../../../../../common/ids';
import type { AccessScope } from '../../access/visibility';
import { recordTimes } from '../shared/record-times.type';
import { memberRef } from '../member/member.type';
import { sharedWithFor } from '../shared/shared-with';
import type { ParticipationRecord } from './participation.entity';
import { ParticipationType } from './participation.type';

export function toParticipation(record: ParticipationRecord, scope: AccessScope): ParticipationType {
  return Object.assign(new ParticipationType(), {
    ...recordTimes(record),
    id: globalId(scope.owner, record.projectId),
    projectId: record.projectId,
    member: memberRef(scope.owner),
    role: record.role ?? null,
    confirmedAt: record.confirmedAt,
    visibility: record.visibility,
    sharedWith: sharedWithFor(scope, record),
    version: record.version,
  });
}
