import { recordKind } from '../record-kind';
import { incidentWrites } from './incident.writes';
import { incidentList } from './incident.list';
import { incidentDataFile } from './incident.data-file';
import { IncidentRecord } from './incident.entity';
import { signedIncidentFields, toIncident } from './incident.mapper';
import { IncidentType } from './incident.type';
import { IncidentResolver, loadIncident } from './incident.resolver';

/** Attack reports with their indicators (the TLP data). */
export const incidentKind = recordKind({
  name: 'incidents',
  entities: [IncidentRecord],
  resolvers: [IncidentResolver],
  lists: [incidentList],
  references: { Incident: loadIncident },
  memberField: null,
  writes: incidentWrites,
  dataFile: incidentDataFile,
  signedFields: { Incident: signedIncidentFields },
  feed: { kind: 'INCIDENT', type: IncidentType, toRecord: toIncident, severity: (row: IncidentRecord) => row.severity },
});
