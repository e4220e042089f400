import { recordTimes } from '../shared/record-times.type';
import type { AccessScope } from '../../access/visibility';
import { memberRef } from '../member/member.type';
import { toTypeFields } from '../shared/field-table';
import type { ProjectRecord } from './project.entity';
import { projectFields } from './project.fields';
import { ProjectType } from './project.type';

export function toProject(record: ProjectRecord, scope: AccessScope): ProjectType {
  return Object.assign(new ProjectType(), recordTimes(record), toTypeFields(projectFields, record, scope), { lead: memberRef(scope.owner) });
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public fields of a project that an attestation covers. */
export function signedProjectFields(p: ProjectType): Record<string, unknown> {
  return {
    id: p.id,
    lead: p.lead.id,
    name: p.name,
    area: p.area,
    status: p.status,
    summary: p.summaryTexts,
    needs: p.needs,
    invited: p.invited.map((m) => m.id),
    startedAt: iso(p.startedAt),
    visibility: p.visibility,
  };
}
