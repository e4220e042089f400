/**
 * Enum values of the network contract (`schema/member.graphql`). They are fixed:
 * dashboards, bots and other tools are written against them.
 */
export const VISIBILITIES = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const SERVICE_KINDS = [
  'EMAIL',
  'WEB_HOSTING',
  'VPN',
  'CLOUD_STORAGE',
  'CHAT',
  'VIDEO_CONFERENCING',
  'MAILING_LIST',
  'DNS',
  'BACKUP',
  'GIT_HOSTING',
  'DDOS_PROTECTION',
  'SOCIAL_MEDIA',
  'DOCUMENTS',
  'OTHER',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const SERVICE_STATUSES = ['OPERATIONAL', 'MAINTENANCE', 'DEGRADED', 'DOWN', 'PLANNED'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const RESOURCES = ['STORAGE_GB', 'ACCOUNTS', 'BANDWIDTH_MBPS', 'CPU_CORES', 'MEMORY_GB'] as const;
export type Resource = (typeof RESOURCES)[number];

export const AREAS = ['SOLIDARITY', 'MOVEMENT_ENGAGEMENT', 'TECHNOLOGY_PLATFORM', 'SHARED_INFRASTRUCTURE'] as const;
export type Area = (typeof AREAS)[number];

export const PROJECT_STATUSES = ['PROPOSED', 'ACTIVE', 'PAUSED', 'DONE'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Multilingual text: BCP 47 tag → text. */
export type Translations = Record<string, string>;

export const INCIDENT_KINDS = ['DDOS', 'PHISHING', 'INTRUSION', 'SPAM', 'MALWARE', 'ACCOUNT_TAKEOVER', 'ABUSE', 'OTHER'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['OPEN', 'MITIGATED', 'CLOSED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const SUPPORT_KINDS = ['FUNDING', 'TRAINING', 'MENTORING', 'HOSTING', 'TRANSLATION', 'ORG_DEVELOPMENT', 'SECURITY_AUDIT', 'OTHER'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

export const TRAINING_FORMATS = ['ONLINE', 'IN_PERSON'] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];
