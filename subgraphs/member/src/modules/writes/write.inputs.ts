import { Field, Float, ID, InputType } from 'type-graphql';
import type { Area, ProjectStatus, Resource, ServiceKind, ServiceStatus, Visibility } from '../../../../../common/contract';
import { AreaEnum, ProjectStatusEnum, ResourceEnum, ServiceKindEnum, ServiceStatusEnum, VisibilityEnum } from '../../graphql/enums';

@InputType('LocalizedTextInput')
export class LocalizedTextInput {
  @Field(() => String)
  lang!: string;

  @Field(() => String)
  text!: string;
}

@InputType('ServiceInput', { description: 'Takes a local id: the member prefix is implied.' })
export class ServiceInput {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ServiceKindEnum) kind!: ServiceKind;
  @Field(() => [LocalizedTextInput], { nullable: true }) description?: LocalizedTextInput[];
  @Field(() => [String], { nullable: true }) languages?: string[];
  @Field(() => [String], { nullable: true }) regions?: string[];
  @Field(() => String, { nullable: true }) url?: string;
  @Field(() => String, { nullable: true }) software?: string;
  @Field(() => ServiceStatusEnum) status!: ServiceStatus;
  @Field(() => Boolean) acceptingUsers!: boolean;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}

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
