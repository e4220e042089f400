/**
 * Global ids have the form `<memberId>:<localId>`. The prefix is the routing key: the gateway
 * sends a record's lookups to the member that owns the prefix, and drops records a member returns
 * under another member's prefix.
 */
export const MEMBER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const LOCAL_ID_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/;

/** @example globalId('kafshata', 'mail') === 'kafshata:mail' */
export function globalId(memberId: string, localId: string): string {
  return `${memberId}:${localId}`;
}

/** The member prefix of a global id, or undefined when the id has none. */
export function ownerOf(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const colon = id.indexOf(':');
  return colon > 0 ? id.slice(0, colon) : undefined;
}

/**
 * Splits a global id into its parts.
 * @example parseGlobalId('kafshata:mail') // { memberId: 'kafshata', localId: 'mail' }
 */
export function parseGlobalId(id: string): { memberId: string; localId: string } | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  return { memberId: id.slice(0, colon), localId: id.slice(colon + 1) };
}
