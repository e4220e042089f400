import { Field, ID, InputType } from 'type-graphql';
import type { ServiceKind, ServiceStatus, Visibility } from '../../../../../schema/enums';
import { ServiceKindEnum, ServiceStatusEnum, VisibilityEnum } from '../../graphql/enums';
import { LocalizedTextInput } from '../../graphql/localized-text.type';

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
