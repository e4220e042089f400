import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { isOwnerCaller, type AccessScope } from '../access/visibility';

/**
 * A position in this member's change feed, as the caller holds it:
 * - `{ s }`: after change-log sequence `s`;
 * - `{ h, k, a }`: inside the first snapshot, which lists every record visible now, kind by kind
 *   (`k`, after key `a`), and then goes on from sequence `h` (the log's head when it started).
 * `c` is the class of caller it was issued to: the feed decides what a caller saw from its class.
 */
export interface FeedPosition {
  s?: number;
  h?: number;
  k?: string;
  a?: string | null;
  c: string;
}

const VERSION = 'c1.';
const MAX_CURSOR_LENGTH = 2048;

/**
 * Cursors are sealed (AES-256-GCM, random nonce) with a key kept in the member's database, so
 * every process of the member reads them, and a caller learns nothing from them: not the log's
 * sequence numbers, which would count the changes to records it may not see, and not a cursor it
 * could forge. A cursor that does not open is INVALID_CURSOR.
 */
export class FeedCursors {
  constructor(private readonly key: Buffer) {}

  seal(position: FeedPosition): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(cursor: string, scope: AccessScope): FeedPosition {
    const position = this.tryOpen(cursor);
    if (!position) throw invalidCursor('this cursor was not issued by this member');
    if (position.c !== callerClass(scope)) throw invalidCursor('this cursor was issued to another caller: resync from scratch (no `since`)');
    return position;
  }

  private tryOpen(cursor: string): FeedPosition | undefined {
    if (cursor.length > MAX_CURSOR_LENGTH || !cursor.startsWith(VERSION)) return undefined;
    try {
      const raw = Buffer.from(cursor.slice(VERSION.length), 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const value = JSON.parse(json) as FeedPosition;
      return typeof value === 'object' && value && typeof value.c === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
}

/** What decides a caller's view: the owner's callers, one other member's callers, or anyone else. */
export function callerClass(scope: AccessScope): string {
  if (isOwnerCaller(scope)) return 'owner';
  if (scope.caller.anonymous || !scope.caller.member) return 'anonymous';
  return `member:${scope.caller.member}`;
}

export function invalidCursor(reason: string): GraphQLError {
  return new GraphQLError(`Invalid cursor: ${reason}`, { extensions: { code: 'INVALID_CURSOR' } });
}

const keys = new WeakMap<object, Promise<FeedCursors>>();

/** The member's cursor key: made once, by whichever process asks first, and kept in its database. */
export function feedCursors(em: EntityManager): Promise<FeedCursors> {
  const config = em.config;
  let cursors = keys.get(config);
  if (!cursors) {
    cursors = loadKey(em).then((key) => new FeedCursors(key));
    cursors.catch(() => keys.delete(config));
    keys.set(config, cursors);
  }
  return cursors;
}

async function loadKey(em: EntityManager): Promise<Buffer> {
  const table = `"${em.config.get('schema')}"."change_feed_state"`;
  const conn = em.getConnection();
  await conn.execute(`update ${table} set "cursor_key" = ? where "id" = 1 and "cursor_key" is null`, [randomBytes(32).toString('base64')], 'run');
  const rows = await conn.execute<{ cursor_key: string }[]>(`select "cursor_key" from ${table} where "id" = 1`, [], 'all');
  if (!rows[0]?.cursor_key) throw new Error('the change feed state row is missing: run the migrations');
  return Buffer.from(rows[0].cursor_key, 'base64');
}
