import type { EntityManager } from '@mikro-orm/postgresql';
import { looseList, type DataFilePart } from '../shared/data-file';
import { fromFileRow, toFileRow } from '../shared/field-table';
import { CapacityRecord } from './capacity.entity';
import { capacityFields } from './capacity.fields';

/** One capacity figure as the data file writes it (under its service, or on its own). */
export function capacityRow(c: CapacityRecord): Record<string, unknown> {
  return toFileRow(capacityFields, c);
}

/** `capacity:` holds the figures attached to no service; the others are under `services[].capacity`. Ids are unique across both. */
export const capacityDataFile: DataFilePart = {
  label: 'capacity',
  key: 'id',
  records: (file) => [...looseList(file.services, ['services']).flatMap(({ record, path }) => looseList(record.capacity, [...path, 'capacity'])), ...looseList(file.capacity, ['capacity'])],
  entity: CapacityRecord,
  rows: (data) => [
    ...data.services.flatMap((s) => s.capacity.map((c) => ({ ...fromFileRow(capacityFields, c), serviceId: s.id }))),
    ...data.capacity.map((c) => ({ ...fromFileRow(capacityFields, c), serviceId: null })),
  ],
  async export(em: EntityManager) {
    return (await em.find(CapacityRecord, { serviceId: null }, { orderBy: { id: 'asc' } })).map(capacityRow);
  },
};
