import { validateInput } from '../shared/write-input';
import { fromValidInput, inputToValidate, toInputRow } from '../shared/field-table';
import type { RecordWrites } from '../shared/record-writes';
import { ServiceRecord } from './service.entity';
import { serviceFields } from './service.fields';
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
  toInput: (s) => toInputRow(serviceFields, s),
  async write(_ctx, em, input, existing) {
    const values = fromValidInput(serviceFields, validateInput(serviceSchema, { ...inputToValidate(serviceFields, input), capacity: [] }));
    if (existing) return em.assign(existing, values);
    const created = em.create(ServiceRecord, values);
    em.persist(created);
    return created;
  },
  toType: toService,
};
