import { globalId } from '../../../../../common/ids';
import { isOwnerCaller, type AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import type { ProjectRecord } from './project.entity';
import { ProjectType } from './project.type';

export function toProject(record: ProjectRecord, scope: AccessScope): ProjectType {
  return Object.assign(new ProjectType(), {
    id: globalId(scope.owner, record.id),
    lead: memberRef(scope.owner),
    invited: record.invited.map(memberRef),
    name: record.name,
    area: record.area,
    status: record.status,
    needs: record.needs,
    startedAt: record.startedAt ?? null,
    visibility: record.visibility,
    sharedWith: isOwnerCaller(scope) ? record.sharedWith : null,
    summaryTexts: record.summary,
  });
}
