import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { TrainingFormat, Translations, Visibility } from '../../../../../schema/enums';
import { TrainingFormatEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';
import { VersionedRecordType } from '../shared/versioned.type';

/** The public contract's `Training`. It is built from a TrainingRecord, never the entity itself. */
@ObjectType('Training', { description: 'A training or mentoring session a member offers.' })
@Directive('@key(fields: "id")')
export class TrainingType extends VersionedRecordType {
  @Field(() => ID, { description: 'Global id: `<memberId>:<localId>`.' }) id!: string;
  @Field(() => MemberRef, { description: 'The member that offers it.' }) member!: MemberRef;
  @Field(() => String) title!: string;
  @Field(() => [String], { description: 'Languages it is given in (BCP 47 tags).' }) languages!: string[];
  @Field(() => TrainingFormatEnum) format!: TrainingFormat;
  @Field(() => String, { nullable: true, description: 'Where an IN_PERSON session happens; for ONLINE, whom it is meant for (or null).' }) region?: string | null;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true }) endsAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'How many people can take part; null when not limited or not said.' }) seats?: number | null;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true, description: 'Members a MEMBERS record is shared with. Shown to the owner only; null for everyone else.' }) sharedWith?: string[] | null;

  /** Local id. Not part of the contract. */
  localId!: string;
  descriptionTexts!: Translations;
}
