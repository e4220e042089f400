import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, looseList, omitEmpty, type DataFilePart } from '../shared/data-file';
import { CapacityRecord } from './capacity.entity';

/** One capacity figure as the data file writes it (under its service, or on its own). */
export function capacityRow(c: CapacityRecord): Record<string, unknown> {
  return omitEmpty({
    id: c.id,
    resource: c.resource,
    total: Number(c.total),
    used: Number(c.used),
    measuredAt: isoDate(c.measuredAt),
    visibility: c.visibility,
    numbersVisibility: c.numbersVisibility ?? undefined,
    sharedWith: c.sharedWith,
  });
}

/** `capacity:` holds the figures attached to no service; the others are under `services[].capacity`. Ids are unique across both. */
export const capacityDataFile: DataFilePart = {
  label: 'capacity',
  key: 'id',
  records: (file) => [...looseList(file.services, ['services']).flatMap(({ record, path }) => looseList(record.capacity, [...path, 'capacity'])), ...looseList(file.capacity, ['capacity'])],
  entity: CapacityRecord,
  rows: (data) =>
    [...data.services.flatMap((s) => s.capacity.map((c) => ({ ...c, serviceId: s.id }))), ...data.capacity.map((c) => ({ ...c, serviceId: null }))].map((c) => ({
      id: c.id,
      serviceId: c.serviceId,
      resource: c.resource,
      total: c.total,
      used: c.used,
      ...(c.measuredAt ? { measuredAt: c.measuredAt } : {}),
      visibility: c.visibility,
      numbersVisibility: c.numbersVisibility ?? null,
      sharedWith: c.sharedWith,
    })),
  async export(em: EntityManager) {
    return (await em.find(CapacityRecord, { serviceId: null }, { orderBy: { id: 'asc' } })).map(capacityRow);
  },
};
