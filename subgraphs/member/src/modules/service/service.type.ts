import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { ServiceKind, ServiceStatus, Translations, Visibility } from '../../../../../schema/enums';
import { ServiceKindEnum, ServiceStatusEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';
import { VersionedRecordType } from '../shared/versioned.type';

/** The public contract's `Service`. It is built from a ServiceRecord, never the entity itself. */
@ObjectType('Service')
@Directive('@key(fields: "id")')
export class ServiceType extends VersionedRecordType {
  @Field(() => ID, { description: 'Global id: `<memberId>:<localId>`.' })
  id!: string;

  @Field(() => MemberRef)
  member!: MemberRef;

  @Field(() => String)
  name!: string;

  @Field(() => ServiceKindEnum)
  kind!: ServiceKind;

  @Field(() => [String])
  languages!: string[];

  @Field(() => [String])
  regions!: string[];

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  software?: string | null;

  @Field(() => ServiceStatusEnum)
  status!: ServiceStatus;

  @Field(() => Boolean)
  acceptingUsers!: boolean;

  @Field(() => VisibilityEnum)
  visibility!: Visibility;

  @Field(() => [ID], { nullable: true, description: 'Members a MEMBERS record is shared with. Shown to the owner only; null for everyone else.' })
  sharedWith?: string[] | null;

  /** Local id, for nested loads. Not part of the contract. */
  localId!: string;
  descriptionTexts!: Translations;
}
