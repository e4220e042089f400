import { validateInput } from '../shared/write-input';
import { fromValidInput, inputToValidate, toInputRow } from '../shared/field-table';
import type { RecordWrites } from '../shared/record-writes';
import { ProjectRecord } from './project.entity';
import { projectFields } from './project.fields';
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
  toInput: (p) => toInputRow(projectFields, p),
  async write(_ctx, em, input, existing) {
    const values = fromValidInput(projectFields, validateInput(projectSchema, inputToValidate(projectFields, input)));
    if (existing) return em.assign(existing, values);
    const created = em.create(ProjectRecord, values);
    em.persist(created);
    return created;
  },
  toType: toProject,
};
