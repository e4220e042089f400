import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import type { Resource, Visibility } from '../../../../../schema/enums';
import { ResourceEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';
import { VersionedRecordType } from '../shared/versioned.type';

@ObjectType('Capacity')
@Directive('@key(fields: "id")')
export class CapacityType extends VersionedRecordType {
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
