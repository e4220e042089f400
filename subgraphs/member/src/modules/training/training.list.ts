import { ArgsType, Field } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { TrainingRecord } from './training.entity';
import { TrainingFilter } from './training.filter';
import { toTraining } from './training.mapper';
import { trainingWhere } from './training.repository';
import { TrainingType } from './training.type';

@ArgsType()
export class TrainingListArgs {
  @Field(() => TrainingFilter, { nullable: true })
  filter?: TrainingFilter;
}

/** `trainings` and `trainingsConnection`: soonest first, then by local id. */
export const trainingList = recordList({
  field: 'trainings',
  typeName: 'Training',
  node: TrainingType,
  args: TrainingListArgs,
  entity: TrainingRecord,
  order: [
    { property: 'startsAt', direction: 'asc', type: 'datetime' },
    { property: 'id', direction: 'asc', type: 'text' },
  ],
  where: (scope, args: TrainingListArgs) => trainingWhere(scope, args.filter ?? {}),
  toNode: toTraining,
});
