import { UPDATED_SINCE } from '../shared/record-times.type';
import { Field, ID, InputType } from 'type-graphql';
import type { TrainingFormat } from '../../../../../schema/enums';
import { TrainingFormatEnum } from '../../graphql/enums';

@InputType('TrainingFilter')
export class TrainingFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these members answer; others are not asked.' })
  members?: string[];

  @Field(() => [TrainingFormatEnum], { nullable: true })
  formats?: TrainingFormat[];

  @Field(() => [String], { nullable: true, description: 'Sessions given in any of these languages.' })
  languages?: string[];

  @Field(() => [String], { nullable: true })
  regions?: string[];

  @Field(() => Date, { nullable: true, description: 'Sessions that start at or after this time (e.g. now, for upcoming ones).' })
  startsAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Sessions that start before this time.' })
  startsBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Case-insensitive search in title and descriptions.' })
  text?: string;

  @Field(() => Date, { nullable: true, description: UPDATED_SINCE })
  updatedSince?: Date;
}
