import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { capacityRow } from '../capacity/capacity.data-file';
import { CapacityRecord } from '../capacity/capacity.entity';
import { looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { ServiceRecord } from './service.entity';

/** `services:`, each with its own capacity nested under it. */
export const serviceDataFile: DataFilePart = {
  label: 'service',
  key: 'id',
  records: (file) => looseList(file.services, ['services']),
  entity: ServiceRecord,
  rows: (data) =>
    data.services.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      description: s.description,
      languages: s.languages,
      regions: s.regions,
      url: s.url ?? null,
      software: s.software ?? null,
      status: s.status,
      acceptingUsers: s.acceptingUsers,
      visibility: s.visibility,
      sharedWith: s.sharedWith,
    })),
  async beforePrune(em, keys) {
    // capacity written through the API under a service the file no longer lists stays, unattached
    // (the capacity the file listed under it was pruned first)
    if (keys.length) await em.nativeUpdate(CapacityRecord, { serviceId: { $in: keys }, source: 'API' }, { serviceId: null, version: raw('version + 1') });
  },
  async export(em: EntityManager) {
    const [services, capacity] = await Promise.all([em.find(ServiceRecord, {}, { orderBy: { id: 'asc' } }), em.find(CapacityRecord, { serviceId: { $ne: null } }, { orderBy: { id: 'asc' } })]);
    return services.map((s) =>
      omitEmpty({
        id: s.id,
        name: s.name,
        kind: s.kind,
        description: s.description,
        languages: s.languages,
        regions: s.regions,
        url: s.url ?? undefined,
        software: s.software ?? undefined,
        status: s.status,
        acceptingUsers: s.acceptingUsers,
        visibility: s.visibility,
        sharedWith: s.sharedWith,
        capacity: capacity.filter((c) => c.serviceId === s.id).map(capacityRow),
      }),
    );
  },
};
