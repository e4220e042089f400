import { UPDATED_SINCE } from '../shared/record-times.type';
import { Field, ID, InputType } from 'type-graphql';
import type { ServiceKind, ServiceStatus } from '../../../../../schema/enums';
import { ServiceKindEnum, ServiceStatusEnum } from '../../graphql/enums';

@InputType('ServiceFilter')
export class ServiceFilter {
  @Field(() => [ServiceKindEnum], { nullable: true })
  kinds?: ServiceKind[];

  @Field(() => [ID], { nullable: true, description: 'Only these members answer; others are not asked.' })
  members?: string[];

  @Field(() => [String], { nullable: true })
  regions?: string[];

  @Field(() => [String], { nullable: true })
  languages?: string[];

  @Field(() => [ServiceStatusEnum], { nullable: true })
  status?: ServiceStatus[];

  @Field(() => Boolean, { nullable: true })
  acceptingUsers?: boolean;

  @Field(() => String, { nullable: true, description: 'Case-insensitive search in name, software and descriptions.' })
  text?: string;

  @Field(() => Date, { nullable: true, description: UPDATED_SINCE })
  updatedSince?: Date;
}
