import { ArgsType, Field } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { ServiceRecord } from './service.entity';
import { ServiceFilter } from './service.filter';
import { toService } from './service.mapper';
import { serviceWhere } from './service.repository';
import { ServiceType } from './service.type';

@ArgsType()
export class ServiceListArgs {
  @Field(() => ServiceFilter, { nullable: true })
  filter?: ServiceFilter;
}

/** `services` and `servicesConnection`: by local id. */
export const serviceList = recordList({
  field: 'services',
  typeName: 'Service',
  node: ServiceType,
  args: ServiceListArgs,
  entity: ServiceRecord,
  order: [{ property: 'id', direction: 'asc', type: 'text' }],
  where: (scope, args: ServiceListArgs) => serviceWhere(scope, args.filter ?? {}),
  toNode: toService,
});
