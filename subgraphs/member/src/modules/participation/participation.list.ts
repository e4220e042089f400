import { ArgsType } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { ParticipationRecord } from './participation.entity';
import { toParticipation } from './participation.mapper';
import { ParticipationType } from './participation.type';

/** `participations` takes no filter. */
@ArgsType()
export class ParticipationListArgs {}

/** `participations` and `participationsConnection`: by project id. */
export const participationList = recordList({
  field: 'participations',
  typeName: 'Participation',
  node: ParticipationType,
  args: ParticipationListArgs,
  entity: ParticipationRecord,
  order: [{ property: 'projectId', direction: 'asc', type: 'text' }],
  where: () => [],
  toNode: toParticipation,
});
