import { ClassType, Directive, Field, ID, ObjectType } from 'type-graphql';
import type { SupportKind, Translations, Visibility } from '../../../../../schema/enums';
import { SupportKindEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';
import { CREATED_AT, UPDATED_AT } from '../shared/record-times.type';

function supportType(name: 'SupportOffer' | 'SupportNeed'): ClassType {
  @ObjectType(name)
  @Directive('@key(fields: "id")')
  class Support {
    @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
    @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
    @Field(() => ID) id!: string;
    @Field(() => MemberRef) member!: MemberRef;
    @Field(() => SupportKindEnum) kind!: SupportKind;
    @Field(() => String) title!: string;
    @Field(() => [String]) languages!: string[];
    @Field(() => Boolean, { description: 'Closed offers and needs are kept on record but not matched.' }) open!: boolean;
    @Field(() => VisibilityEnum) visibility!: Visibility;
    @Field(() => [ID], { nullable: true, description: 'Shown to the owner only.' }) sharedWith?: string[] | null;
    descriptionTexts!: Translations;
  }
  return Support;
}

export const SupportOfferType = supportType('SupportOffer');
export const SupportNeedType = supportType('SupportNeed');
export type SupportView = InstanceType<typeof SupportOfferType> & {
  id: string;
  member: MemberRef;
  kind: SupportKind;
  title: string;
  languages: string[];
  open: boolean;
  visibility: Visibility;
  sharedWith?: string[] | null;
  descriptionTexts: Translations;
};
