import type { Visibility } from '../api';

export const SUPPORT_KINDS = ['FUNDING', 'TRAINING', 'MENTORING', 'HOSTING', 'TRANSLATION', 'ORG_DEVELOPMENT', 'SECURITY_AUDIT', 'OTHER'] as const;

export interface SupportItem {
  id: string;
  kind: string;
  title: string;
  description: string | null;
  languages: string[];
  visibility: Visibility;
  open: boolean;
  member: { id: string };
}

/** An open need paired with another member's offer of the same kind that shares a language. */
export interface SupportMatch {
  kind: string;
  languages: string[];
  need: { id: string };
  offer: { id: string };
}

export const SUPPORT_FIELDS = 'id kind title description(lang: $lang) languages visibility open member { id }';

/** Open offers and needs, and the gateway's matches between them (one kind, or every kind). */
export const SOLIDARITY_QUERY = /* GraphQL */ `
query Solidarity($kind: SupportKind, $lang: String) {
  supportOffers(kind: $kind) { ${SUPPORT_FIELDS} }
  supportNeeds(kind: $kind) { ${SUPPORT_FIELDS} }
  supportMatches(kind: $kind) { kind languages need { id } offer { id } }
}`;

export interface SolidarityData {
  supportOffers: SupportItem[];
  supportNeeds: SupportItem[];
  supportMatches: SupportMatch[];
}

export const baseLanguage = (tag: string): string => tag.split('-')[0].toLowerCase();

/** Whether a record is in a language (by base language: `fr-CA` is French). */
export const speaks = (languages: string[], language: string): boolean => languages.some((l) => baseLanguage(l) === baseLanguage(language));
