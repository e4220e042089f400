import { recordKind } from '../record-kind';
import { capacityWrites } from './capacity.writes';
import { capacityList } from './capacity.list';
import { capacityDataFile } from './capacity.data-file';
import { CapacityRecord } from './capacity.entity';
import { CapacityResolver, listMemberCapacity, loadCapacity } from './capacity.resolver';
import { CapacityType } from './capacity.type';
import { toCapacity } from './capacity.mapper';

/** Capacity figures (disk, bandwidth, seats …), on their own or under one of the member's services. */
export const capacityKind = recordKind({
  name: 'capacity',
  entities: [CapacityRecord],
  resolvers: [CapacityResolver],
  lists: [capacityList],
  references: { Capacity: loadCapacity },
  memberField: { name: 'capacity', type: CapacityType, list: listMemberCapacity },
  writes: capacityWrites,
  dataFile: capacityDataFile,
  signedFields: {},
  feed: { kind: 'CAPACITY', type: CapacityType, toRecord: toCapacity },
});
