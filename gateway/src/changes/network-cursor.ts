import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { MEMBER_ID_PATTERN } from '../../../common/ids';

const PREFIX = 'n1.';
/** Largest network cursor accepted (a member's sealed cursor is about 100 characters). */
export const MAX_NETWORK_CURSOR = 256 * 1024;
const MAX_MEMBER_CURSOR = 2048;

const positions = z.record(z.string().regex(MEMBER_ID_PATTERN).max(100), z.string().min(1).max(MAX_MEMBER_CURSOR));

/**
 * The network feed's cursor: every member's own (opaque, sealed by the member) position, so any
 * gateway of the network, restarted or not, goes on from it with no state of its own. It comes
 * from the caller, so it is untrusted: size, shape and member ids are checked here, and each
 * member checks its own position (it refuses one it did not issue, or issued to another caller).
 */
export function encodeNetworkCursor(members: ReadonlyMap<string, string>): string {
  return PREFIX + Buffer.from(JSON.stringify(Object.fromEntries([...members].sort(([a], [b]) => (a < b ? -1 : 1)))), 'utf8').toString('base64url');
}

export function decodeNetworkCursor(cursor: string | null | undefined): Map<string, string> {
  if (cursor === null || cursor === undefined) return new Map();
  if (cursor.length > MAX_NETWORK_CURSOR || !cursor.startsWith(PREFIX)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = positions.safeParse(value);
  if (!parsed.success) throw invalid();
  return new Map(Object.entries(parsed.data));
}

function invalid(): GraphQLError {
  return new GraphQLError('Invalid cursor: not a cursor from networkChanges; start again without `since`', { extensions: { code: 'INVALID_CURSOR' } });
}
