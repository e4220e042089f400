import { UPDATED_SINCE } from '../shared/record-times.type';
import { Field, ID, InputType } from 'type-graphql';
import type { Resource } from '../../../../../schema/enums';
import { ResourceEnum } from '../../graphql/enums';

@InputType('CapacityFilter')
export class CapacityFilter {
  @Field(() => [ResourceEnum], { nullable: true })
  resources?: Resource[];

  @Field(() => [ID], { nullable: true })
  members?: string[];

  @Field(() => Date, { nullable: true, description: UPDATED_SINCE })
  updatedSince?: Date;
}
