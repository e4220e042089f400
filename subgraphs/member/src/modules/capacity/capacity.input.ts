import { Field, Float, ID, InputType } from 'type-graphql';
import type { Resource, Visibility } from '../../../../../schema/enums';
import { ResourceEnum, VisibilityEnum } from '../../graphql/enums';

@InputType('CapacityInput', { description: 'Takes local ids: the member prefix is implied.' })
export class CapacityInput {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true, description: 'Local id of the service this capacity belongs to.' }) serviceId?: string;
  @Field(() => ResourceEnum) resource!: Resource;
  @Field(() => Float) total!: number;
  @Field(() => Float) used!: number;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => VisibilityEnum, { nullable: true }) numbersVisibility?: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}
