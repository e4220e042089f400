import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import type { RecordWrites } from '../shared/record-writes';
import { ServiceRecord } from './service.entity';
import { ServiceInput } from './service.input';
import { toService } from './service.mapper';
import { serviceSchema } from './service.schema';
import { ServiceType } from './service.type';

/** How a service is written through the API (`upsertService`, `updateService`). Its capacity is written on its own. */
export const serviceWrites: RecordWrites<ServiceRecord> = {
  typeName: 'Service',
  type: ServiceType,
  input: ServiceInput,
  entity: ServiceRecord,
  toInput: (s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    description: Object.entries(s.description).map(([lang, text]) => ({ lang, text })),
    languages: s.languages,
    regions: s.regions,
    url: s.url ?? undefined,
    software: s.software ?? undefined,
    status: s.status,
    acceptingUsers: s.acceptingUsers,
    visibility: s.visibility,
    sharedWith: s.sharedWith,
  }),
  async write(_ctx, em, input, existing) {
    const { capacity: _none, ...data } = validateInput(serviceSchema, { ...stripNulls(input), description: toTranslations(input.description as never), capacity: [] });
    const values = { ...data, url: data.url ?? null, software: data.software ?? null };
    if (existing) return em.assign(existing, values);
    const created = em.create(ServiceRecord, values);
    em.persist(created);
    return created;
  },
  toType: toService,
};
