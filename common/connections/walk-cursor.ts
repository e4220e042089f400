import { GraphQLError } from 'graphql';
import { MEMBER_ID_PATTERN } from '../ids';

/**
 * The gateway's walk cursor, the one codec of its format: the gateway writes it and reads a
 * caller's `after` with it, and a member reads the caller's `after` with it to check that a page
 * the gateway asks for is one the caller's operation asks for (access/subset-check.ts).
 *
 * Where a walk through a connection stands, across all members. The global order is member id,
 * then each member's own order, so the state is small: every member up to `done` is finished
 * except those in `pending` (a member partly read, or skipped while it was unavailable), each
 * with its own position (its cursor, or null for "from the start"); members after `done` have
 * not been read yet.
 */
export interface WalkState {
  /** The connection field the cursor belongs to. */
  field: string;
  /** The last member id the walk has reached ('' before the first). */
  done: string;
  /** Members at or before `done` that still have records to give, by id. */
  pending: ReadonlyMap<string, string | null>;
}

const PREFIX = 'n1.';
/** Longest gateway cursor accepted (a member cursor is at most 1 KiB; a walk holds a few). */
export const MAX_WALK_CURSOR = 128 * 1024;
/** Longest member cursor the gateway keeps or forwards. */
export const MAX_MEMBER_CURSOR = 1024;
const MEMBER_CURSOR = /^[A-Za-z0-9_-]+$/;

/** The start of a walk. */
export function startState(field: string): WalkState {
  return { field, done: '', pending: new Map() };
}

/**
 * The opaque cursor of a walk state: `n1.` and base64url JSON. Not signed: a caller can only
 * choose positions it could reach by walking, and members apply visibility to every page.
 *
 * @example encodeWalkCursor({ field: 'servicesConnection', done: 'alpha', pending: new Map([['alpha', 'WyJtYWlsIl0']]) })
 */
export function encodeWalkCursor(state: WalkState): string {
  const body = { f: state.field, d: state.done, p: [...state.pending].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** A caller's `after`, checked as untrusted input: the walk state, or BAD_USER_INPUT. */
export function decodeWalkCursor(field: string, cursor: string): WalkState {
  const state = parseWalkCursor(cursor);
  if (!state || state.field !== field) {
    throw new GraphQLError(`Invalid input: after: not a cursor of ${field} (use a \`cursor\` or \`endCursor\` it returned)`, {
      extensions: { code: 'BAD_USER_INPUT', fields: ['after: not a cursor of this connection'] },
    });
  }
  return state;
}

/**
 * A walk cursor checked as untrusted input, for any field: its state, or undefined when it is not
 * a walk cursor (another prefix, not base64url JSON, a member id or position out of shape, a
 * pending member after `done` or twice, too long).
 * @example parseWalkCursor(after)?.pending.get('alpha') // alpha's position, when it is pending
 */
export function parseWalkCursor(cursor: unknown): WalkState | undefined {
  if (typeof cursor !== 'string' || cursor.length > MAX_WALK_CURSOR || !cursor.startsWith(PREFIX)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { f, d, p } = body as { f?: unknown; d?: unknown; p?: unknown };
  if (typeof f !== 'string' || typeof d !== 'string' || (d !== '' && !MEMBER_ID_PATTERN.test(d)) || !Array.isArray(p)) return undefined;
  const pending = new Map<string, string | null>();
  for (const entry of p) {
    if (!Array.isArray(entry) || entry.length !== 2) return undefined;
    const [id, position] = entry as unknown[];
    if (typeof id !== 'string' || !MEMBER_ID_PATTERN.test(id) || id > d || pending.has(id)) return undefined;
    if (position !== null && !isMemberCursor(position)) return undefined;
    pending.set(id, position as string | null);
  }
  return { field: f, done: d, pending };
}

/** Whether a member's cursor is one the gateway keeps and forwards: a bounded base64url string. */
export function isMemberCursor(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MEMBER_CURSOR && MEMBER_CURSOR.test(value);
}
