import { recordKind } from '../record-kind';
import { trainingWrites } from './training.writes';
import { trainingList } from './training.list';
import { trainingDataFile } from './training.data-file';
import { TrainingRecord } from './training.entity';
import { signedTrainingFields, toTraining } from './training.mapper';
import { listMemberTrainings, loadTraining, TrainingResolver } from './training.resolver';
import { TrainingType } from './training.type';

/** Training and mentoring sessions a member offers (online or in person, with dates and seats). */
export const trainingKind = recordKind({
  name: 'trainings',
  entities: [TrainingRecord],
  resolvers: [TrainingResolver],
  lists: [trainingList],
  references: { Training: loadTraining },
  memberField: { name: 'trainings', type: TrainingType, list: listMemberTrainings },
  writes: trainingWrites,
  dataFile: trainingDataFile,
  signedFields: { Training: signedTrainingFields },
  feed: { kind: 'TRAINING', type: TrainingType, toRecord: toTraining },
});
