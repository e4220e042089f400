import type { Visibility } from '../api';

/** The network contract's incident enums, in the order a person reads them (mildest first). */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_KINDS = ['DDOS', 'PHISHING', 'INTRUSION', 'SPAM', 'MALWARE', 'ACCOUNT_TAKEOVER', 'ABUSE', 'OTHER'] as const;
export const INCIDENT_STATUSES = ['OPEN', 'MITIGATED', 'CLOSED'] as const;

export interface Indicator {
  type: string;
  value: string;
}

export interface Incident {
  id: string;
  kind: string;
  severity: Severity;
  status: string;
  visibility: Visibility;
  observedAt: string;
  summary: string | null;
  mitigation: string | null;
  indicators: Indicator[];
  member: { id: string };
}

/** What the gateway passes on to the members as `IncidentFilter` (only set fields are sent). */
export interface IncidentQueryFilter {
  kinds?: string[];
  minSeverity?: Severity;
  members?: string[];
  since?: string;
  indicator?: string;
}

export const INCIDENT_FIELDS = 'id kind severity status visibility observedAt summary(lang: $lang) mitigation indicators { type value } member { id }';

/** Incidents as the members let this caller see them, newest first; `filter.members` asks only those members. */
export const INCIDENTS_QUERY = /* GraphQL */ `
query Incidents($filter: IncidentFilter, $lang: String) {
  incidents(filter: $filter) { ${INCIDENT_FIELDS} }
}`;

export interface IncidentsData {
  incidents: Incident[];
}

/** Newest first across members (each member already answers newest first; the merge keeps that). */
export function newestFirst(incidents: Incident[]): Incident[] {
  return [...incidents].sort((a, b) => Date.parse(b.observedAt) - Date.parse(a.observedAt) || a.id.localeCompare(b.id));
}

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
export const severityRank = (s: string): number => SEVERITY_RANK.get(s) ?? -1;
