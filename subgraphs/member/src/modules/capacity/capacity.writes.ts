import { GraphQLError } from 'graphql';
import { ServiceRecord } from '../service/service.entity';
import { fromValidInput, inputToValidate, toInputRow } from '../shared/field-table';
import type { RecordWrites } from '../shared/record-writes';
import { localIdOf, validateInput } from '../shared/write-input';
import { CapacityRecord } from './capacity.entity';
import { capacityFields } from './capacity.fields';
import { CapacityInput } from './capacity.input';
import { toCapacity } from './capacity.mapper';
import { capacitySchema } from './capacity.schema';
import { CapacityType } from './capacity.type';

/**
 * How a capacity figure is written through the API (`reportCapacity`, `updateCapacity`). A write
 * is a new measurement (`measuredAt` is now). Without `serviceId` a full write keeps the service
 * it was attached to; a patch with `serviceId: null` detaches it.
 */
export const capacityWrites: RecordWrites<CapacityRecord> = {
  typeName: 'Capacity',
  type: CapacityType,
  input: CapacityInput,
  entity: CapacityRecord,
  toInput: (c) => toInputRow(capacityFields, c),
  async write(ctx, em, input, existing, cleared) {
    const { serviceId: rawServiceId, ...rest } = inputToValidate(capacityFields, input);
    const data = validateInput(capacitySchema, rest);
    const serviceId = typeof rawServiceId === 'string' ? localIdOf(rawServiceId, ctx.member.id) : null;
    if (serviceId && !(await em.findOne(ServiceRecord, { id: serviceId }))) {
      throw new GraphQLError(`Invalid input: serviceId: no service "${serviceId}"`, { extensions: { code: 'BAD_USER_INPUT', fields: [`serviceId: no service "${serviceId}"`] } });
    }
    const keptServiceId = cleared.has('serviceId') ? null : (existing?.serviceId ?? null);
    const values = { ...fromValidInput(capacityFields, data), serviceId: serviceId ?? keptServiceId, measuredAt: data.measuredAt ?? new Date() };
    if (existing) return em.assign(existing, values);
    const created = em.create(CapacityRecord, values);
    em.persist(created);
    return created;
  },
  toType: toCapacity,
};
