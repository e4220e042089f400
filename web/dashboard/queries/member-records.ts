import { INCIDENT_FIELDS, type Incident } from './incidents';
import { SUPPORT_FIELDS, type SupportItem } from './solidarity';

/**
 * One member's incidents, support offers and support needs, for its page. Incidents are asked of
 * that member only (`filter.members`); offers and needs have no member filter in the contract, so
 * every member is asked and the page keeps this member's.
 */
export const MEMBER_RECORDS_QUERY = /* GraphQL */ `
query MemberRecords($member: ID!, $lang: String) {
  incidents(filter: { members: [$member] }) { ${INCIDENT_FIELDS} }
  supportOffers { ${SUPPORT_FIELDS} }
  supportNeeds { ${SUPPORT_FIELDS} }
}`;

export interface MemberRecordsData {
  incidents: Incident[];
  supportOffers: SupportItem[];
  supportNeeds: SupportItem[];
}
