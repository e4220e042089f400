import { validateInput } from '../shared/write-input';
import { fromValidInput, inputToValidate, toInputRow } from '../shared/field-table';
import type { RecordWrites } from '../shared/record-writes';
import { IncidentRecord } from './incident.entity';
import { incidentFields } from './incident.fields';
import { IncidentInput } from './incident.input';
import { toIncident } from './incident.mapper';
import { indexIndicators } from './incident.repository';
import { incidentSchema } from './incident.schema';
import { IncidentType } from './incident.type';

/** How an incident is written through the API (`reportIncident`, `updateIncident`). */
export const incidentWrites: RecordWrites<IncidentRecord> = {
  typeName: 'Incident',
  type: IncidentType,
  input: IncidentInput,
  entity: IncidentRecord,
  toInput: (i) => toInputRow(incidentFields, i),
  async write(_ctx, em, input, existing) {
    const values = fromValidInput(incidentFields, validateInput(incidentSchema, inputToValidate(incidentFields, input)));
    const record = existing ? em.assign(existing, values) : em.create(IncidentRecord, values);
    em.persist(record);
    await em.flush();
    await indexIndicators(em, record.id, record.indicators);
    return record;
  },
  toType: toIncident,
};
