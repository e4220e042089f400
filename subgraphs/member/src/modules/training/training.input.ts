import { Field, ID, InputType, Int } from 'type-graphql';
import type { TrainingFormat, Visibility } from '../../../../../schema/enums';
import { TrainingFormatEnum, VisibilityEnum } from '../../graphql/enums';
import { LocalizedTextInput } from '../../graphql/localized-text.type';

@InputType('TrainingInput', { description: 'Takes a local id: the member prefix is implied. Checked like the data file: an IN_PERSON session needs a region.' })
export class TrainingInput {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => [LocalizedTextInput], { nullable: true }) description?: LocalizedTextInput[];
  @Field(() => [String], { nullable: true }) languages?: string[];
  @Field(() => TrainingFormatEnum) format!: TrainingFormat;
  @Field(() => String, { nullable: true }) region?: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true }) endsAt?: Date;
  @Field(() => Int, { nullable: true }) seats?: number;
  @Field(() => VisibilityEnum) visibility!: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}
