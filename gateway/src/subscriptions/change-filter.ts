import { SEVERITIES } from '../../../schema/enums';
import type { NetworkChange } from './change-source';

/** What one subscriber asked for: `networkChanged(kinds:, members:, minSeverity:)`. */
export interface ChangeFilter {
  kinds?: ReadonlySet<string>;
  members?: ReadonlySet<string>;
  /** The lowest severity wanted (index in SEVERITIES). */
  minSeverity?: number;
}

export function changeFilter(args: { kinds?: readonly string[] | null; members?: readonly string[] | null; minSeverity?: string | null }): ChangeFilter {
  const minSeverity = args.minSeverity ? SEVERITIES.indexOf(args.minSeverity as (typeof SEVERITIES)[number]) : -1;
  return {
    kinds: args.kinds ? new Set(args.kinds) : undefined,
    members: args.members ? new Set(args.members) : undefined,
    minSeverity: minSeverity >= 0 ? minSeverity : undefined,
  };
}

/**
 * Whether a change is for this subscriber. With `minSeverity`, a change that carries a severity
 * passes when it is at least that severe; a change without one (other kinds) does not, except a
 * REMOVE, so that a subscriber can always drop a record it holds.
 */
export function matchesFilter(filter: ChangeFilter, change: NetworkChange): boolean {
  if (filter.kinds && !filter.kinds.has(change.kind)) return false;
  if (filter.members && !filter.members.has(change.member)) return false;
  if (filter.minSeverity !== undefined) {
    const rank = change.severity ? SEVERITIES.indexOf(change.severity as (typeof SEVERITIES)[number]) : -1;
    if (rank < 0) return change.operation === 'REMOVE';
    return rank >= filter.minSeverity;
  }
  return true;
}
