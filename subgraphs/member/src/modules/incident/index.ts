import { recordKind } from '../record-kind';
import { incidentList } from './incident.list';
import { incidentDataFile } from './incident.data-file';
import { IncidentRecord } from './incident.entity';
import { signedIncidentFields } from './incident.mapper';
import { IncidentResolver, loadIncident } from './incident.resolver';

/** Attack reports with their indicators (the TLP data). */
export const incidentKind = recordKind({
  name: 'incidents',
  entities: [IncidentRecord],
  resolvers: [IncidentResolver],
  lists: [incidentList],
  references: { Incident: loadIncident },
  memberField: null,
  dataFile: incidentDataFile,
  signedFields: { Incident: signedIncidentFields },
});
