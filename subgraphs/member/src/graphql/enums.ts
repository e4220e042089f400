import { registerEnumType } from 'type-graphql';
import {
  AREAS,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  PROJECT_STATUSES,
  RESOURCES,
  SERVICE_KINDS,
  SERVICE_STATUSES,
  SEVERITIES,
  SUPPORT_KINDS,
  TRAINING_FORMATS,
  VISIBILITIES,
} from '../../../../schema/enums';
import { INDICATOR_TYPES } from '../../../../common/indicators';

/** Turns a contract value list into the `{ VALUE: 'VALUE' }` object type-graphql registers. */
function enumObject<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const VisibilityEnum = enumObject(VISIBILITIES);
export const ServiceKindEnum = enumObject(SERVICE_KINDS);
export const ServiceStatusEnum = enumObject(SERVICE_STATUSES);
export const ResourceEnum = enumObject(RESOURCES);
export const AreaEnum = enumObject(AREAS);
export const ProjectStatusEnum = enumObject(PROJECT_STATUSES);

registerEnumType(VisibilityEnum, {
  name: 'Visibility',
  description: "Who may see a record. Enforced by the owning member's subgraph. TLP 2.0: PUBLIC=CLEAR, NETWORK=GREEN, MEMBERS=AMBER, OWNER=RED.",
});
registerEnumType(ServiceKindEnum, { name: 'ServiceKind' });
registerEnumType(ServiceStatusEnum, { name: 'ServiceStatus' });
registerEnumType(ResourceEnum, { name: 'Resource' });
registerEnumType(AreaEnum, { name: 'Area', description: "The network's four areas of work." });
registerEnumType(ProjectStatusEnum, { name: 'ProjectStatus' });

export const IncidentKindEnum = enumObject(INCIDENT_KINDS);
export const SeverityEnum = enumObject(SEVERITIES);
export const IncidentStatusEnum = enumObject(INCIDENT_STATUSES);
export const IndicatorTypeEnum = enumObject(INDICATOR_TYPES);
export const SupportKindEnum = enumObject(SUPPORT_KINDS);

registerEnumType(IncidentKindEnum, { name: 'IncidentKind' });
registerEnumType(SeverityEnum, { name: 'Severity' });
registerEnumType(IncidentStatusEnum, { name: 'IncidentStatus' });
registerEnumType(IndicatorTypeEnum, { name: 'IndicatorType' });
registerEnumType(SupportKindEnum, { name: 'SupportKind' });

export const TrainingFormatEnum = enumObject(TRAINING_FORMATS);

registerEnumType(TrainingFormatEnum, { name: 'TrainingFormat', description: 'Where a training or mentoring session happens: online, or in person (in its `region`).' });
