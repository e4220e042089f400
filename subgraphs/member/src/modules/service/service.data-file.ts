import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { capacityRow } from '../capacity/capacity.data-file';
import { CapacityRecord } from '../capacity/capacity.entity';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { ServiceRecord } from './service.entity';
import { serviceFields } from './service.fields';

/** `services:`, each with its own capacity nested under it. */
export const serviceDataFile: DataFilePart = {
  label: 'service',
  key: 'id',
  records: (file) => looseList(file.services, ['services']),
  entity: ServiceRecord,
  rows: (data) => data.services.map((s) => fromFileRow(serviceFields, s)),
  async beforePrune(em, keys) {
    // capacity written through the API under a service the file no longer lists stays, unattached
    // (the capacity the file listed under it was pruned first)
    if (keys.length) await em.nativeUpdate(CapacityRecord, { serviceId: { $in: keys }, source: 'API' }, { serviceId: null, version: raw('version + 1') });
  },
  async export(em: EntityManager) {
    const [services, capacity] = await Promise.all([em.find(ServiceRecord, {}, { orderBy: { id: 'asc' } }), em.find(CapacityRecord, { serviceId: { $ne: null } }, { orderBy: { id: 'asc' } })]);
    return services.map((s) => ({ ...toFileRow(serviceFields, s), capacity: capacity.filter((c) => c.serviceId === s.id).map(capacityRow) }));
  },
};
