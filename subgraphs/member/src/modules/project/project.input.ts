import { Field, ID, InputType } from 'type-graphql';
import type { Area, ProjectStatus, Visibility } from '../../../../../schema/enums';
import { AreaEnum, ProjectStatusEnum, VisibilityEnum } from '../../graphql/enums';
import { LocalizedTextInput } from '../../graphql/localized-text.type';

@InputType('ProjectInput', { description: 'Takes a local id: the member prefix is implied.' })
export class ProjectInput {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => AreaEnum) area!: Area;
  @Field(() => ProjectStatusEnum) status!: ProjectStatus;
  @Field(() => [LocalizedTextInput], { nullable: true }) summary?: LocalizedTextInput[];
  @Field(() => [ID], { nullable: true, description: 'Members invited to take part.' }) participants?: string[];
  @Field(() => [String], { nullable: true }) needs?: string[];
  @Field(() => Date, { nullable: true }) startedAt?: Date;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}
