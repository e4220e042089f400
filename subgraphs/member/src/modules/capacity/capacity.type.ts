import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { CREATED_AT, UPDATED_AT } from '../shared/record-times.type';
import type { Resource, Visibility } from '../../../../../schema/enums';
import { ResourceEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';

@ObjectType('Capacity')
@Directive('@key(fields: "id")')
export class CapacityType {
  @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
  @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
  @Field(() => ID)
  id!: string;

  @Field(() => MemberRef)
  member!: MemberRef;

  @Field(() => ResourceEnum)
  resource!: Resource;

  @Field(() => Float, { nullable: true, description: 'Null when the caller may not see the numbers (`numbersVisibility`).' })
  total!: number | null;

  @Field(() => Float, { nullable: true, description: 'Null when the caller may not see the numbers (`numbersVisibility`).' })
  used!: number | null;

  @Field(() => Float, { nullable: true, description: 'total − used. Null when the caller may not see the numbers.' })
  available!: number | null;

  @Field(() => Date)
  measuredAt!: Date;

  @Field(() => VisibilityEnum)
  visibility!: Visibility;

  @Field(() => VisibilityEnum, { description: "The level that applies to the numbers: the stricter of `visibility` and the member's numbers rule." })
  numbersVisibility!: Visibility;

  @Field(() => [ID], { nullable: true, description: 'Shown to the owner only.' })
  sharedWith?: string[] | null;

  localServiceId!: string | null;
}
