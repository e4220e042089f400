import { UPDATED_SINCE } from '../shared/record-times.type';
import { Field, ID, InputType } from 'type-graphql';
import type { Area, ProjectStatus } from '../../../../../schema/enums';
import { AreaEnum, ProjectStatusEnum } from '../../graphql/enums';

@InputType('ProjectFilter')
export class ProjectFilter {
  @Field(() => [AreaEnum], { nullable: true })
  areas?: Area[];

  @Field(() => [ProjectStatusEnum], { nullable: true })
  status?: ProjectStatus[];

  @Field(() => [ID], { nullable: true, description: 'Projects led by, or involving, any of these members.' })
  members?: string[];

  @Field(() => Date, { nullable: true, description: UPDATED_SINCE })
  updatedSince?: Date;
}
