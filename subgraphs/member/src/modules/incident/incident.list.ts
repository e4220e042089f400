import { ArgsType, Field } from 'type-graphql';
import { recordList } from '../shared/record-list';
import { IncidentRecord } from './incident.entity';
import { IncidentFilter } from './incident.filter';
import { toIncident } from './incident.mapper';
import { incidentWhere } from './incident.repository';
import { IncidentType } from './incident.type';

@ArgsType()
export class IncidentListArgs {
  @Field(() => IncidentFilter, { nullable: true })
  filter?: IncidentFilter;
}

/** `incidents` and `incidentsConnection`: newest first, then by local id. */
export const incidentList = recordList({
  field: 'incidents',
  typeName: 'Incident',
  node: IncidentType,
  args: IncidentListArgs,
  entity: IncidentRecord,
  order: [
    { property: 'observedAt', direction: 'desc', type: 'datetime' },
    { property: 'id', direction: 'asc', type: 'text' },
  ],
  where: (scope, args: IncidentListArgs, em) => incidentWhere(scope, args.filter ?? {}, em),
  toNode: toIncident,
});
