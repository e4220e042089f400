import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { globalId } from '../../../../common/ids';
import type { Visibility } from '../../../../schema/enums';
import { findVisible } from '../access/find-visible';
import { canSee, type AccessScope } from '../access/visibility';
import { RECORD_KINDS, type RecordKind } from '../modules';
import { callerClass, feedCursors, type FeedCursors, type FeedPosition } from './feed-cursor';

export type ChangeOperation = 'UPSERT' | 'REMOVE';

export interface FeedChange {
  cursor: string;
  kind: string;
  id: string;
  operation: ChangeOperation;
  at: Date;
  member: string;
  record: object | null;
  severity: string | null;
}

export interface FeedPage {
  changes: FeedChange[];
  cursor: string;
  hasMore: boolean;
}

export interface ReadChangesOptions {
  since?: string | null;
  kinds?: string[] | null;
  first?: number | null;
}

export const DEFAULT_FIRST = 100;
export const MAX_FIRST = 500;
/** Most change-log rows one page reads, however few of them the caller may see. */
const MAX_SCAN = 5_000;

interface LogRow {
  seq: string | number;
  kind: string;
  record_id: string;
  at: Date | string;
  visibility_before: Visibility | null;
  shared_with_before: string[] | null;
  visibility_after: Visibility | null;
  shared_with_after: string[] | null;
}

/**
 * One page of this member's change feed as the caller may see it. Without `since`, the page
 * starts a snapshot: every record the caller may see now, as UPSERTs, then the log from where it
 * stood when the snapshot began. After that, each change-log row is judged for this caller from
 * the record's visibility before and after it:
 * - visible after → UPSERT, with the record as it is now, read through `findVisible` (the one
 *   visibility path); if it is not visible now, a later row says so and this one is skipped;
 * - visible before and not after (deleted, pruned, or narrowed away from this caller) → REMOVE;
 * - visible neither before nor after → nothing at all, not even the id.
 * Within a page only a record's last change is kept (a page is applied as a whole).
 */
export async function readChanges(em: EntityManager, scope: AccessScope, opts: ReadChangesOptions): Promise<FeedPage> {
  const first = opts.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new GraphQLError(`first must be between 1 and ${MAX_FIRST}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const kinds = selectKinds(opts.kinds);
  const cursors = await feedCursors(em);
  const state = await feedState(em);
  const c = callerClass(scope);
  let position: FeedPosition;
  if (opts.since) {
    position = cursors.open(opts.since, scope);
  } else {
    position = { h: state.head, k: kinds[0]?.feed.kind, a: null, c };
  }
  const logFrom = position.h ?? position.s ?? 0;
  if (logFrom < state.purgedThrough) {
    throw new GraphQLError('This cursor is older than the changes the member keeps (its tombstone retention): resync from scratch (no `since`)', {
      extensions: { code: 'CURSOR_EXPIRED' },
    });
  }
  if (position.h !== undefined) return snapshotPage(em, scope, cursors, kinds, position as Required<FeedPosition>, first);
  return logPage(em, scope, cursors, kinds, position.s ?? 0, first);
}

function selectKinds(wanted: string[] | null | undefined): RecordKind[] {
  if (!wanted?.length) return [...RECORD_KINDS];
  const set = new Set(wanted);
  return RECORD_KINDS.filter((k) => set.has(k.feed.kind));
}

async function feedState(em: EntityManager): Promise<{ head: number; purgedThrough: number }> {
  const s = `"${em.config.get('schema')}"`;
  const rows = await em
    .getConnection()
    .execute<{ head: string | number | null; purged_through: string | number }[]>(
      `select (select max("seq") from ${s}."record_change") as "head", "purged_through" from ${s}."change_feed_state" where "id" = 1`,
      [],
      'all',
    );
  const purgedThrough = Number(rows[0]?.purged_through ?? 0);
  return { head: Math.max(Number(rows[0]?.head ?? 0), purgedThrough), purgedThrough };
}

async function snapshotPage(em: EntityManager, scope: AccessScope, cursors: FeedCursors, kinds: RecordKind[], position: Required<FeedPosition>, first: number): Promise<FeedPage> {
  const changes: FeedChange[] = [];
  let index = kinds.findIndex((k) => k.feed.kind === position.k);
  let after = position.a;
  if (index < 0) index = kinds.length;
  for (; index < kinds.length; index++, after = null) {
    const kind = kinds[index];
    const key = kind.dataFile.key;
    const remaining = first - changes.length;
    const rows = (await findVisible(em, kind.dataFile.entity, scope, after === null ? {} : { [key]: { $gt: after } }, { orderBy: { [key]: 'asc' }, limit: remaining })) as Record<string, unknown>[];
    for (const row of rows) {
      const localId = String(row[key]);
      changes.push({
        ...describe(kind, scope, localId, 'UPSERT', row.updatedAt as Date, row),
        cursor: cursors.seal({ h: position.h, k: kind.feed.kind, a: localId, c: position.c }),
      });
    }
    if (rows.length === remaining) {
      const last = changes[changes.length - 1];
      return { changes, cursor: last.cursor, hasMore: true };
    }
  }
  // the log since the snapshot began comes next (always "more": looking would tell whether hidden changes exist)
  return { changes, cursor: cursors.seal({ s: position.h, c: position.c }), hasMore: true };
}

async function logPage(em: EntityManager, scope: AccessScope, cursors: FeedCursors, kinds: RecordKind[], since: number, first: number): Promise<FeedPage> {
  const byKind = new Map(kinds.map((k) => [k.feed.kind, k]));
  const c = callerClass(scope);
  const table = `"${em.config.get('schema')}"."record_change"`;
  const judged: { row: LogRow; kind: RecordKind; operation: ChangeOperation }[] = [];
  let position = since;
  let scanned = 0;
  let reachedEnd = false;
  while (judged.length < first && scanned < MAX_SCAN) {
    const batch = Math.min(Math.max(first * 2, 100), MAX_SCAN - scanned);
    const rows = await em
      .getConnection()
      .execute<LogRow[]>(`select * from ${table} where "seq" > ? and "kind" in (${[...byKind.keys()].map(() => '?').join(', ')}) order by "seq" limit ?`, [position, ...byKind.keys(), batch], 'all');
    for (const row of rows) {
      position = Number(row.seq);
      scanned++;
      const operation = judge(scope, row);
      if (operation) judged.push({ row, kind: byKind.get(row.kind)!, operation });
      if (judged.length >= first) break;
    }
    if (rows.length < batch && judged.length < first) {
      reachedEnd = true;
      break;
    }
  }
  // "more" whenever the scan stopped early, without looking further: a look-ahead would tell the
  // caller whether changes it may not see exist after this page
  const hasMore = !reachedEnd;

  const current = await currentRecords(
    em,
    scope,
    judged.filter((j) => j.operation === 'UPSERT'),
  );
  const changes: FeedChange[] = [];
  const lastIndex = new Map<string, number>();
  for (const { row, kind, operation } of judged) {
    const localId = row.record_id;
    let change: Omit<FeedChange, 'cursor'>;
    if (operation === 'UPSERT') {
      const now = current.get(`${kind.feed.kind}\n${localId}`);
      if (!now) continue;
      change = describe(kind, scope, localId, 'UPSERT', new Date(row.at), now);
    } else {
      change = describe(kind, scope, localId, 'REMOVE', new Date(row.at), null);
    }
    const key = `${kind.feed.kind}\n${localId}`;
    const previous = lastIndex.get(key);
    if (previous !== undefined) changes[previous] = undefined as never;
    lastIndex.set(key, changes.length);
    changes.push({ ...change, cursor: cursors.seal({ s: Number(row.seq), c }) });
  }
  return { changes: changes.filter(Boolean), cursor: cursors.seal({ s: position, c }), hasMore };
}

/** What one change-log row means for this caller, or null when it must not learn of it at all. */
export function judge(scope: AccessScope, row: Pick<LogRow, 'visibility_before' | 'shared_with_before' | 'visibility_after' | 'shared_with_after'>): ChangeOperation | null {
  const before = row.visibility_before !== null && canSee(scope, row.visibility_before, row.shared_with_before ?? []);
  const after = row.visibility_after !== null && canSee(scope, row.visibility_after, row.shared_with_after ?? []);
  if (after) return 'UPSERT';
  if (before) return 'REMOVE';
  return null;
}

/** The records as they are now, for the caller, through `findVisible`: one statement per kind. */
async function currentRecords(em: EntityManager, scope: AccessScope, upserts: { row: LogRow; kind: RecordKind }[]): Promise<Map<string, Record<string, unknown>>> {
  const ids = new Map<RecordKind, Set<string>>();
  for (const { row, kind } of upserts) {
    let set = ids.get(kind);
    if (!set) ids.set(kind, (set = new Set()));
    set.add(row.record_id);
  }
  const found = new Map<string, Record<string, unknown>>();
  for (const [kind, set] of ids) {
    const key = kind.dataFile.key;
    const rows = (await findVisible(em, kind.dataFile.entity, scope, { [key]: { $in: [...set] } })) as Record<string, unknown>[];
    for (const row of rows) found.set(`${kind.feed.kind}\n${String(row[key])}`, row);
  }
  return found;
}

function describe(kind: RecordKind, scope: AccessScope, localId: string, operation: ChangeOperation, at: Date, row: Record<string, unknown> | null): Omit<FeedChange, 'cursor'> {
  return {
    kind: kind.feed.kind,
    id: globalId(scope.owner, localId),
    operation,
    at,
    member: scope.owner,
    record: row ? kind.feed.toRecord(row as never, scope) : null,
    severity: row && kind.feed.severity ? kind.feed.severity(row as never) : null,
  };
}
