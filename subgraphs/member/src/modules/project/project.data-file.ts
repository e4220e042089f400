import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { ProjectRecord } from './project.entity';

/** `projects:` the member leads; `participants` in the file are the invited members. */
export const projectDataFile: DataFilePart = {
  label: 'project',
  key: 'id',
  records: (file) => looseList(file.projects, ['projects']),
  entity: ProjectRecord,
  rows: (data) =>
    data.projects.map((p) => ({
      id: p.id,
      name: p.name,
      area: p.area,
      status: p.status,
      summary: p.summary,
      invited: p.participants,
      needs: p.needs,
      startedAt: p.startedAt ?? null,
      visibility: p.visibility,
      sharedWith: p.sharedWith,
    })),
  async export(em: EntityManager) {
    return (await em.find(ProjectRecord, {}, { orderBy: { id: 'asc' } })).map((p) =>
      omitEmpty({
        id: p.id,
        name: p.name,
        area: p.area,
        status: p.status,
        summary: p.summary,
        participants: p.invited,
        needs: p.needs,
        startedAt: isoDate(p.startedAt),
        visibility: p.visibility,
        sharedWith: p.sharedWith,
      }),
    );
  },
};
