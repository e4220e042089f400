import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import type { RecordWrites } from '../shared/record-writes';
import { IncidentRecord } from './incident.entity';
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
  toInput: (i) => ({
    id: i.id,
    kind: i.kind,
    severity: i.severity,
    status: i.status,
    observedAt: i.observedAt,
    summary: Object.entries(i.summary).map(([lang, text]) => ({ lang, text })),
    mitigation: i.mitigation ?? undefined,
    indicators: i.indicators,
    visibility: i.visibility,
    sharedWith: i.sharedWith,
  }),
  async write(_ctx, em, input, existing) {
    const data = validateInput(incidentSchema, { ...stripNulls(input), summary: toTranslations(input.summary as never) });
    const values = { ...data, mitigation: data.mitigation ?? null };
    const record = existing ? em.assign(existing, values) : em.create(IncidentRecord, values);
    em.persist(record);
    await em.flush();
    await indexIndicators(em, record.id, record.indicators);
    return record;
  },
  toType: toIncident,
};
