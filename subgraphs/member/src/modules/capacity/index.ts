import { recordKind } from '../record-kind';
import { capacityDataFile } from './capacity.data-file';
import { CapacityRecord } from './capacity.entity';
import { CapacityResolver, loadCapacity } from './capacity.resolver';

/** Capacity figures (disk, bandwidth, seats …), on their own or under one of the member's services. */
export const capacityKind = recordKind({
  name: 'capacity',
  entities: [CapacityRecord],
  resolvers: [CapacityResolver],
  references: { Capacity: loadCapacity },
  dataFile: capacityDataFile,
  signedFields: {},
});
