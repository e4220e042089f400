import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { IncidentRecord } from './incident.entity';
import { indexIndicators } from './incident.repository';

/** `incidents:` the member reports. */
export const incidentDataFile: DataFilePart = {
  label: 'incident',
  key: 'id',
  records: (file) => looseList(file.incidents, ['incidents']),
  entity: IncidentRecord,
  rows: (data) => data.incidents.map((i) => ({ ...i, mitigation: i.mitigation ?? null })),
  async afterImport(em, data) {
    for (const incident of data.incidents) await indexIndicators(em, incident.id, incident.indicators);
  },
  async export(em: EntityManager) {
    return (await em.find(IncidentRecord, {}, { orderBy: { id: 'asc' } })).map((i) =>
      omitEmpty({
        id: i.id,
        kind: i.kind,
        severity: i.severity,
        status: i.status,
        observedAt: isoDate(i.observedAt),
        summary: i.summary,
        mitigation: i.mitigation ?? undefined,
        indicators: i.indicators,
        visibility: i.visibility,
        sharedWith: i.sharedWith,
      }),
    );
  },
};
