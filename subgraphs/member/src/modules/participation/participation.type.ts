import { Field, ID, ObjectType } from 'type-graphql';
import { CREATED_AT, UPDATED_AT } from '../shared/record-times.type';
import type { Visibility } from '../../../../../schema/enums';
import { VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';

@ObjectType('Participation', { description: "This member's own confirmation that it takes part in another member's project." })
export class ParticipationType {
  @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
  @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
  @Field(() => ID, { description: "The project's global id." }) projectId!: string;
  @Field(() => MemberRef, { description: 'The member that confirmed.' }) member!: MemberRef;
  @Field(() => String, { nullable: true }) role?: string | null;
  @Field(() => Date) confirmedAt!: Date;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true, description: "Members a MEMBERS participation is shared with (by default the project's lead). Shown to the owner only; null for everyone else." })
  sharedWith?: string[] | null;
}
