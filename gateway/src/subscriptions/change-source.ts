import type { Caller } from '../../../common/caller';

/**
 * One change as the network feed gives it (the `Change` type of the contract). `cursor` is the
 * network cursor just after this change: resuming from it gives the changes after this one.
 */
export interface NetworkChange {
  cursor: string;
  kind: string;
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  at: string;
  member: string;
  /** For INCIDENT changes; null for other kinds (and for removals the member no longer describes). */
  severity?: string | null;
  record?: Record<string, unknown> | null;
}

export interface NetworkChangePage {
  changes: NetworkChange[];
  /** Where the next page starts. */
  cursor: string;
  hasMore: boolean;
  unavailableMembers: string[];
}

export interface NetworkChangesRequest {
  caller: Caller;
  since?: string;
  kinds?: string[];
  members?: string[];
  first?: number;
}

/** The gateway's merged change feed (gateway/src/changes/): one page after `since`, as `caller` may see it. */
export type FetchNetworkChanges = (request: NetworkChangesRequest) => Promise<NetworkChangePage>;
