import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { Visibility } from '../../../../../schema/enums';
import { VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';
import { VersionedRecordType } from '../shared/versioned.type';

@ObjectType('Participation', { description: "This member's own confirmation that it takes part in another member's project." })
@Directive('@key(fields: "id")')
export class ParticipationType extends VersionedRecordType {
  @Field(() => ID, { description: "Global id: `<memberId>:<projectId>` (the member that confirmed, then the project's global id)." }) id!: string;
  @Field(() => ID, { description: "The project's global id." }) projectId!: string;
  @Field(() => MemberRef, { description: 'The member that confirmed.' }) member!: MemberRef;
  @Field(() => String, { nullable: true }) role?: string | null;
  @Field(() => Date) confirmedAt!: Date;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true, description: "Members a MEMBERS participation is shared with (by default the project's lead). Shown to the owner only; null for everyone else." })
  sharedWith?: string[] | null;
}
