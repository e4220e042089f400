import type { Service } from '../api';

/** Page sizes a person may pick in the catalogue. */
export const PAGE_SIZES = [12, 24, 48] as const;
export const DEFAULT_PAGE_SIZE = 24;

/** What the catalogue sends as `ServiceFilter` (only set fields). */
export interface ServiceQueryFilter {
  kinds?: string[];
  regions?: string[];
  languages?: string[];
  acceptingUsers?: boolean;
  text?: string;
}

/**
 * One page of the catalogue (Relay connection): the gateway merges the members' pages in a stable
 * order behind an opaque cursor, so "show more" continues exactly where the last page stopped.
 */
export const SERVICES_PAGE_QUERY = /* GraphQL */ `
query ServicesPage($filter: ServiceFilter, $first: Int, $after: String, $lang: String) {
  servicesConnection(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name kind status acceptingUsers languages regions visibility url software description(lang: $lang) member { id } } }
  }
}`;

export interface ServicesPageData {
  servicesConnection: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Service }[];
  };
}
