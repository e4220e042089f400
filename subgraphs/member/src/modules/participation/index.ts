import { recordKind } from '../record-kind';
import { participationList } from './participation.list';
import { participationDataFile } from './participation.data-file';
import { ParticipationRecord } from './participation.entity';
import { ParticipationResolver } from './participation.resolver';

/** This member's confirmations that it takes part in other members' projects (not a federated type). */
export const participationKind = recordKind({
  name: 'participations',
  entities: [ParticipationRecord],
  resolvers: [ParticipationResolver],
  lists: [participationList],
  references: {},
  memberField: null,
  dataFile: participationDataFile,
  signedFields: {},
});
