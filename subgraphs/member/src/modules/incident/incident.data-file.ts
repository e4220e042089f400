import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { IncidentRecord } from './incident.entity';
import { incidentFields } from './incident.fields';
import { indexIndicators } from './incident.repository';

/** `incidents:` the member reports. */
export const incidentDataFile: DataFilePart = {
  label: 'incident',
  key: 'id',
  records: (file) => looseList(file.incidents, ['incidents']),
  entity: IncidentRecord,
  rows: (data) => data.incidents.map((i) => fromFileRow(incidentFields, i)),
  async afterImport(em, data) {
    for (const incident of data.incidents) await indexIndicators(em, incident.id, incident.indicators);
  },
  async export(em: EntityManager) {
    return (await em.find(IncidentRecord, {}, { orderBy: { id: 'asc' } })).map((i) => toFileRow(incidentFields, i));
  },
};
