import type { Caller } from '../../../common/caller';

/**
 * Callers who see the same records share one upstream feed. Members decide visibility from the
 * caller's member alone (PUBLIC for anonymous callers; NETWORK, MEMBERS and OWNER by member), so
 * the class is "anonymous" or the caller's member.
 */
export function callerClass(caller: Caller): string {
  return caller.anonymous || !caller.member ? 'anonymous' : `member:${caller.member}`;
}

/** Who a class's upstream calls are made for: the caller that opened the feed, reading only. */
export function classCaller(caller: Caller): Caller {
  if (caller.anonymous || !caller.member) return { anonymous: true, scopes: [] };
  return { anonymous: false, member: caller.member, subject: caller.subject, scopes: caller.scopes.filter((s) => s === 'read') };
}
