import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CREATED_AT, UPDATED_AT } from '../shared/record-times.type';
import type { Area, ProjectStatus, Translations, Visibility } from '../../../../../schema/enums';
import { AreaEnum, ProjectStatusEnum, VisibilityEnum } from '../../graphql/enums';
import { MemberRef } from '../member/member.type';

@ObjectType('Project')
@Directive('@key(fields: "id")')
export class ProjectType {
  @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
  @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
  @Field(() => ID)
  id!: string;

  @Field(() => MemberRef)
  lead!: MemberRef;

  @Field(() => [MemberRef], { description: 'Members the lead invited. They appear in `participants` once they confirm on their own subgraph.' })
  invited!: MemberRef[];

  @Field(() => String)
  name!: string;

  @Field(() => AreaEnum)
  area!: Area;

  @Field(() => ProjectStatusEnum)
  status!: ProjectStatus;

  @Field(() => [String])
  needs!: string[];

  @Field(() => Date, { nullable: true })
  startedAt?: Date | null;

  @Field(() => VisibilityEnum)
  visibility!: Visibility;

  @Field(() => [ID], { nullable: true, description: 'Shown to the owner only.' })
  sharedWith?: string[] | null;

  summaryTexts!: Translations;
}
