import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import type { RecordWrites } from '../shared/record-writes';
import { ProjectRecord } from './project.entity';
import { ProjectInput } from './project.input';
import { toProject } from './project.mapper';
import { projectSchema } from './project.schema';
import { ProjectType } from './project.type';

/** How a project is written through the API (`upsertProject`, `updateProject`). */
export const projectWrites: RecordWrites<ProjectRecord> = {
  typeName: 'Project',
  type: ProjectType,
  input: ProjectInput,
  entity: ProjectRecord,
  toInput: (p) => ({
    id: p.id,
    name: p.name,
    area: p.area,
    status: p.status,
    summary: Object.entries(p.summary).map(([lang, text]) => ({ lang, text })),
    participants: p.invited,
    needs: p.needs,
    startedAt: p.startedAt ?? undefined,
    visibility: p.visibility,
    sharedWith: p.sharedWith,
  }),
  async write(_ctx, em, input, existing) {
    const { participants, ...data } = validateInput(projectSchema, { ...stripNulls(input), summary: toTranslations(input.summary as never) });
    const values = { ...data, invited: participants, startedAt: data.startedAt ?? null };
    if (existing) return em.assign(existing, values);
    const created = em.create(ProjectRecord, values);
    em.persist(created);
    return created;
  },
  toType: toProject,
};
