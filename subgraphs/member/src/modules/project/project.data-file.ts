import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { ProjectRecord } from './project.entity';
import { projectFields } from './project.fields';

/** `projects:` the member leads; `participants` in the file are the invited members. */
export const projectDataFile: DataFilePart = {
  label: 'project',
  key: 'id',
  records: (file) => looseList(file.projects, ['projects']),
  entity: ProjectRecord,
  rows: (data) => data.projects.map((p) => fromFileRow(projectFields, p)),
  async export(em: EntityManager) {
    return (await em.find(ProjectRecord, {}, { orderBy: { id: 'asc' } })).map((p) => toFileRow(projectFields, p));
  },
};
