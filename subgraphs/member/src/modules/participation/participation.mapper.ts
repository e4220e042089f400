import { globalId } from '../../../../../common/ids';
import type { AccessScope } from '../../access/visibility';
import { recordTimes } from '../shared/record-times.type';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { ParticipationRecord } from './participation.entity';
import { participationFields } from './participation.fields';
import { ParticipationType } from './participation.type';

export function toParticipation(record: ParticipationRecord, scope: AccessScope): ParticipationType {
  return Object.assign(new ParticipationType(), recordTimes(record), { id: globalId(scope.owner, record.projectId) }, toTypeFields(participationFields, record, scope), {
    member: memberRef(scope.owner),
  });
}
