/**
 * Enum values of the network contract (../shared/design/network.graphql). They are fixed:
 * dashboards, bots and other tools are written against them.
 */
export const VISIBILITIES = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const SERVICE_KINDS = [
  'EMAIL', 'WEB_HOSTING', 'VPN', 'CLOUD_STORAGE', 'CHAT', 'VIDEO_CONFERENCING', 'MAILING_LIST', 'DNS',
  'BACKUP', 'GIT_HOSTING', 'DDOS_PROTECTION', 'SOCIAL_MEDIA', 'DOCUMENTS', 'OTHER',
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
