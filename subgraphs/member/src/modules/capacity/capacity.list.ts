import { ArgsType, Field } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { CapacityRecord } from './capacity.entity';
import { CapacityFilter } from './capacity.filter';
import { toCapacity } from './capacity.mapper';
import { capacityWhere } from './capacity.repository';
import { CapacityType } from './capacity.type';

@ArgsType()
export class CapacityListArgs {
  @Field(() => CapacityFilter, { nullable: true })
  filter?: CapacityFilter;
}

/** `capacity` and `capacityConnection`: by local id. */
export const capacityList = recordList({
  field: 'capacity',
  typeName: 'Capacity',
  node: CapacityType,
  args: CapacityListArgs,
  entity: CapacityRecord,
  order: [{ property: 'id', direction: 'asc', type: 'text' }],
  where: (scope, args: CapacityListArgs) => capacityWhere(scope, args.filter ?? {}),
  toNode: toCapacity,
});
