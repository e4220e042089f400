import type { Caller } from '../../../../common/caller';
import type { Visibility } from '../../../../schema/enums';

/** The member answering, and the caller it answers for. */
export interface AccessScope {
  owner: string;
  caller: Caller;
}

/** The owner's own callers see everything the owner holds. */
export function isOwnerCaller(scope: AccessScope): boolean {
  return !scope.caller.anonymous && scope.caller.member === scope.owner;
}

/**
 * The visibility policy as a database filter (TLP 2.0): every read of a shared record passes
 * through it, so a hidden record is never loaded and behaves exactly like a missing one.
 * - PUBLIC: everyone; NETWORK: any authenticated caller;
 * - MEMBERS: the owner and the members in `sharedWith`; OWNER: the owner only.
 */
export function visibilityWhere(scope: AccessScope): Record<string, unknown> {
  const { caller } = scope;
  if (caller.anonymous || !caller.member) return { visibility: 'PUBLIC' };
  if (isOwnerCaller(scope)) return {};
  return {
    $or: [{ visibility: { $in: ['PUBLIC', 'NETWORK'] } }, { visibility: 'MEMBERS', sharedWith: { $contains: [caller.member] } }],
  };
}

/** The same policy for one value in memory, for field-level rules such as `numbersVisibility`. */
export function canSee(scope: AccessScope, visibility: Visibility, sharedWith: readonly string[]): boolean {
  const { caller } = scope;
  switch (visibility) {
    case 'PUBLIC':
      return true;
    case 'NETWORK':
      return !caller.anonymous && !!caller.member;
    case 'MEMBERS':
      return isOwnerCaller(scope) || (!caller.anonymous && !!caller.member && sharedWith.includes(caller.member));
    case 'OWNER':
      return isOwnerCaller(scope);
    default:
      return false;
  }
}

const ORDER: Record<Visibility, number> = { PUBLIC: 0, NETWORK: 1, MEMBERS: 2, OWNER: 3 };

/** The stricter of two levels: a field rule can narrow a record's visibility, never widen it. */
export function stricter(a: Visibility, b: Visibility | null | undefined): Visibility {
  return b && ORDER[b] > ORDER[a] ? b : a;
}
