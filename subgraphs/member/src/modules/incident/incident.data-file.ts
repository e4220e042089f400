import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { IncidentRecord } from './incident.entity';

/** `incidents:` the member reports. */
export const incidentDataFile: DataFilePart = {
  label: 'incident',
  key: 'id',
  records: (file) => looseList(file.incidents, ['incidents']),
  async export(em: EntityManager) {
    return (await em.find(IncidentRecord, {}, { orderBy: { id: 'asc' } })).map((i) =>
      omitEmpty({ id: i.id, kind: i.kind, severity: i.severity, status: i.status, observedAt: isoDate(i.observedAt), summary: i.summary, mitigation: i.mitigation ?? undefined, indicators: i.indicators, visibility: i.visibility, sharedWith: i.sharedWith }),
    );
  },
};
