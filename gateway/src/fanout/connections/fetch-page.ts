import { compareKeys, memberKey, type MemberKey } from './member-keys';
import { isMemberCursor, type WalkState } from '../../../../common/connections/walk-cursor';

/** The gateway's own view of a member's page, asked next to the caller's selection. */
export const PROBE_EDGES = 'infrared__edges';
export const PROBE_CURSOR = 'infrared__cursor';
export const PROBE_PAGE = 'infrared__page';
export const PROBE_TOTAL = 'infrared__total';

/** Largest `totalCount` a member may claim: beyond it the answer breaks the contract. */
export const MAX_MEMBER_TOTAL = 10_000_000;
const INT_MAX = 2 ** 31 - 1;
/** Members asked at once when the page needs records from members after the first one. */
const FIRST_WAVE = 4;

/** What one member answered for one page request: its checked connection object, or nothing. */
export interface PageAnswer {
  /** The connection object after the answer check (caller's fields plus the gateway's probes); null when unusable. */
  connection: Record<string, unknown> | null;
  /** The member could not be reached (MEMBER_UNAVAILABLE is reported by the caller). */
  unavailable: boolean;
}

/** Asks one member for `first` records after its `after`, with its `totalCount` when `count`. */
export type AskPage = (member: string, first: number, after: string | null, count: boolean) => Promise<PageAnswer>;

/** One member's page as the merge uses it, after the gateway's checks. */
export interface MemberPage {
  member: string;
  /** The checked connection object (for the caller's fields). */
  connection: Record<string, unknown>;
  /** Member cursors of the edges that passed the checks (a prefix of the edges). */
  cursors: string[];
  /** Whether the member has records after the last checked edge. */
  hasMore: boolean;
}

/** A member the page went through, in the walk's order. */
export interface Visit {
  member: string;
  /** Whether the member was pending (partly read or skipped) or new to the walk. */
  from: 'pending' | 'new';
  /** Its position before this page. */
  position: string | null;
  /** Its page; undefined when it was unavailable or its answer broke the contract. */
  page?: MemberPage;
  /** Edges taken from it into this page. */
  taken: number;
}

export interface PageProblem {
  member: string;
  message: string;
}

export interface FetchedPage {
  visits: Visit[];
  hasNextPage: boolean;
  /** Sum of the members' totals (when counted), at most the largest Int. */
  totalCount: number | null;
  unavailable: string[];
  problems: PageProblem[];
}

export interface FetchPageOptions {
  state: WalkState;
  /** Members asked for this connection, in any order (the registry's, after `filter.members`). */
  targets: readonly string[];
  first: number;
  /** Whether the caller asked for `totalCount`: then every target is asked for its count. */
  count: boolean;
  /** Response keys of the caller's `edges` selections (each must be as long as the probe). */
  edgeKeys: readonly string[];
  ask: AskPage;
}

/**
 * One page of a connection across the members: the members in the walk's order (pending ones,
 * then those after `done`, by id) give their records from their own positions until the page is
 * full. The first of them is asked for a whole page; if it runs out, the next ones are asked in
 * growing waves. Every member answer is checked before it counts: a page that breaks the
 * contract (edges out of order or not after the position asked, cursors that are not cursors, a
 * count out of range, edges lists that disagree) is not merged, and the member keeps its place
 * like an unavailable one.
 */
export async function fetchPage(opts: FetchPageOptions): Promise<FetchedPage> {
  const { state, first } = opts;
  const targets = [...new Set(opts.targets)].sort();
  const queue: { member: string; from: Visit['from']; position: string | null }[] = [
    ...targets.filter((id) => state.pending.has(id)).map((id) => ({ member: id, from: 'pending' as const, position: state.pending.get(id) ?? null })),
    ...targets.filter((id) => id > state.done && !state.pending.has(id)).map((id) => ({ member: id, from: 'new' as const, position: null })),
  ];
  const inQueue = new Map(queue.map((q) => [q.member, q]));
  const totals = new Map<string, number>();
  /** From a `first: 0` probe: whether a queued member has records after its position. */
  const hasAny = new Map<string, boolean>();
  const unavailable = new Set<string>();
  const problems: PageProblem[] = [];
  const visits: Visit[] = [];
  const answered = new Map<string, MemberPage | undefined>();

  const check = (member: string, answer: PageAnswer, asked: number, position: string | null, counted: boolean): MemberPage | undefined => {
    if (answer.unavailable) {
      unavailable.add(member);
      return undefined;
    }
    const result = checkPage(member, answer.connection, asked, position, counted, opts.edgeKeys);
    if ('problem' in result) {
      problems.push({ member, message: result.problem });
      unavailable.add(member);
      return undefined;
    }
    if (result.total !== undefined) totals.set(member, result.total);
    if (result.cut) problems.push({ member, message: result.cut });
    return result.page;
  };

  // round 1: the first member in the walk for a whole page; with totalCount, every other target for its count
  const head = first > 0 ? queue[0] : undefined;
  const round1 = targets.map(async (member) => {
    const queued = inQueue.get(member);
    if (head && member === head.member) {
      answered.set(member, check(member, await opts.ask(member, first, head.position, opts.count), first, head.position, opts.count));
      return;
    }
    if (!opts.count && !(first === 0 && queued)) return;
    const probe = check(member, await opts.ask(member, 0, queued?.position ?? null, opts.count), 0, queued?.position ?? null, opts.count);
    if (queued && probe) hasAny.set(member, probe.hasMore);
  });
  await Promise.all(round1);

  let need = first;
  let next = 0;
  let wave = FIRST_WAVE;
  const visit = (q: (typeof queue)[number], page: MemberPage | undefined) => {
    const taken = page ? Math.min(need, page.cursors.length) : 0;
    need -= taken;
    visits.push({ member: q.member, from: q.from, position: q.position, page, taken });
  };
  if (head) {
    visit(head, answered.get(head.member));
    next = 1;
  }
  while (need > 0 && next < queue.length) {
    // members known to be empty from here are passed (and finished); the rest are asked in a wave
    const batch: (typeof queue)[number][] = [];
    while (next < queue.length && batch.length < wave) {
      const q = queue[next++];
      if (hasAny.get(q.member) === false) visits.push({ member: q.member, from: q.from, position: q.position, page: emptyPage(q.member), taken: 0 });
      else batch.push(q);
    }
    if (batch.length === 0) break;
    const pages = await Promise.all(batch.map(async (q) => check(q.member, await opts.ask(q.member, need, q.position, false), need, q.position, false)));
    for (let i = 0; i < batch.length; i++) {
      if (need === 0) {
        // the page filled before this member: it keeps its place (and tells whether it has records)
        if (pages[i]) hasAny.set(batch[i].member, pages[i]!.cursors.length > 0 || pages[i]!.hasMore);
        else unavailable.delete(batch[i].member);
        next = Math.min(next, queue.indexOf(batch[i]));
        break;
      }
      visit(batch[i], pages[i]);
    }
    wave *= 2;
  }

  const hasNextPage = visits.some((v) => v.page && (v.taken < v.page.cursors.length || v.page.hasMore)) || queue.slice(next).some((q) => !unavailable.has(q.member) && hasAny.get(q.member) !== false);
  let totalCount: number | null = null;
  if (opts.count) {
    totalCount = 0;
    for (const t of totals.values()) totalCount = Math.min(INT_MAX, totalCount + t);
  }
  return { visits, hasNextPage, totalCount, unavailable: [...unavailable].sort(), problems };
}

function emptyPage(member: string): MemberPage {
  return { member, connection: {}, cursors: [], hasMore: false };
}

type Checked = { problem: string } | { page: MemberPage; total?: number; cut?: string };

/**
 * A member's connection answer against the contract and the request: the longest prefix of
 * edges whose cursors are cursors, strictly ascending and after the position asked, and no more
 * than were asked; a count in range when asked for; every edges list of the same length.
 */
export function checkPage(member: string, connection: Record<string, unknown> | null, asked: number, position: string | null, count: boolean, edgeKeys: readonly string[]): Checked {
  if (!connection) return { problem: `Member "${member}" answered no usable page` };
  const probe = connection[PROBE_EDGES];
  const info = connection[PROBE_PAGE] as { hasNextPage?: unknown } | null | undefined;
  if (!Array.isArray(probe) || typeof info?.hasNextPage !== 'boolean') return { problem: `Member "${member}" answered a page without its edges or pageInfo` };
  for (const key of edgeKeys) {
    const list = connection[key];
    if (!Array.isArray(list) || list.length !== probe.length) return { problem: `Member "${member}" answered edges lists that disagree` };
  }
  let total: number | undefined;
  if (count) {
    const value = connection[PROBE_TOTAL];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_MEMBER_TOTAL) {
      return { problem: `Member "${member}" answered a totalCount outside 0 to ${MAX_MEMBER_TOTAL}` };
    }
    total = value;
  }
  let previous: MemberKey | undefined;
  if (position !== null) previous = memberKey(position);
  const cursors: string[] = [];
  let cut: string | undefined;
  for (const edge of probe) {
    const cursor = (edge as Record<string, unknown> | null)?.[PROBE_CURSOR];
    const key = memberKey(cursor);
    if (cursors.length >= asked) {
      cut = `Member "${member}" answered more edges than were asked; the rest were not taken`;
      break;
    }
    if (!key || (previous && !(compareKeys(previous, key) < 0))) {
      cut = `Member "${member}" answered edges out of order or before the position asked; they were not taken`;
      break;
    }
    if (!isMemberCursor(cursor)) break;
    cursors.push(cursor);
    previous = key;
  }
  if (cut && cursors.length === 0 && probe.length > 0) return { problem: cut };
  return { page: { member, connection, cursors, hasMore: cut ? true : info.hasNextPage }, total, cut };
}
