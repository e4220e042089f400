import { recordKind } from '../record-kind';
import { participationList } from './participation.list';
import { participationDataFile } from './participation.data-file';
import { ParticipationRecord } from './participation.entity';
import { toParticipation } from './participation.mapper';
import { ParticipationType } from './participation.type';
import { loadParticipation, ParticipationResolver } from './participation.resolver';

/** This member's confirmations that it takes part in other members' projects (federated by id, so a change feed's record resolves). */
export const participationKind = recordKind({
  name: 'participations',
  entities: [ParticipationRecord],
  resolvers: [ParticipationResolver],
  lists: [participationList],
  references: { Participation: loadParticipation },
  memberField: null,
  writes: null,
  dataFile: participationDataFile,
  signedFields: {},
  feed: { kind: 'PARTICIPATION', type: ParticipationType, toRecord: toParticipation },
});
