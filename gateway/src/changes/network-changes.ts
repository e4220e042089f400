import { GraphQLError } from 'graphql';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import { SEVERITIES } from '../../../schema/enums';
import type { GatewayContext } from '../context';
import type { AskMember } from '../fanout/fanout-data-source';
import { decodeNetworkCursor, encodeNetworkCursor } from './network-cursor';

/** A change as the network feed serves it. `record` is a reference the planner resolves at the owner. */
export interface NetworkChange {
  cursor: string;
  kind: string;
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  at: Date;
  member: string;
  severity: string | null;
  record: { __typename: string; id: string } | null;
}

export interface NetworkChangePage {
  changes: NetworkChange[];
  cursor: string;
  hasMore: boolean;
  unavailableMembers: string[];
}

export interface FetchNetworkChangesOptions {
  /** The request's context: its caller (whose view every member applies), registry snapshot and deadline. */
  context: GatewayContext;
  since?: string | null;
  kinds?: string[] | null;
  members?: string[] | null;
  first?: number | null;
}

export type FetchNetworkChanges = (opts: FetchNetworkChangesOptions) => Promise<NetworkChangePage>;

export const DEFAULT_NETWORK_FIRST = 100;
export const MAX_NETWORK_FIRST = 500;
const MAX_MEMBER_CURSOR = 2048;

const MEMBER_FEED_QUERY = `query($since: String, $kinds: [RecordKind!], $first: Int) {
  changes(since: $since, kinds: $kinds, first: $first) { cursor hasMore changes { cursor kind id operation at member severity } }
}`;

interface MemberChange {
  cursor: string;
  kind: string;
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  at: string;
  member: string;
  severity: string | null;
}

export interface NetworkChangesDeps {
  /** The members a request may reach. */
  members(context: GatewayContext): RegistryMember[];
  /** One checked call to one member (the fan-out's). */
  ask(member: RegistryMember, query: string, variables: Record<string, unknown>, context: GatewayContext): ReturnType<AskMember>;
  /** The contract's RecordKind values and the federated type of each kind that has one. */
  kinds: readonly string[];
  typeOfKind: ReadonlyMap<string, string>;
}

/**
 * The network change feed: asks each member for its own feed from the member's position in the
 * cursor (with the caller's view, through the same signed, deadlined, breaker-guarded calls as
 * every fan-out), checks every change against the contract and the sender (its id carries the
 * sender's prefix, `member` is the sender, kind, operation, severity and time are valid), and
 * merges them by time into one page behind one cursor. A member that does not answer, or answers
 * anything malformed, is listed in `unavailableMembers` and its position does not move, so none
 * of its changes is lost; the others' pages still come back.
 *
 * This is also the shared upstream feed's entry point (SSE subscriptions call it per caller class).
 */
export function createNetworkChanges(deps: NetworkChangesDeps): FetchNetworkChanges {
  const knownKinds = new Set(deps.kinds);
  return async ({ context, since, kinds, members, first }) => {
    const limit = first ?? DEFAULT_NETWORK_FIRST;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NETWORK_FIRST) {
      throw new GraphQLError(`first must be between 1 and ${MAX_NETWORK_FIRST}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    if (kinds?.some((k) => !knownKinds.has(k))) throw new GraphQLError('Unknown record kind', { extensions: { code: 'BAD_USER_INPUT' } });
    const positions = decodeNetworkCursor(since);
    const reachable = deps.members(context);
    const registered = new Set(context.registry.members.map((m) => m.id));
    // positions of members that left the registry are dropped; a member new to the cursor starts from its snapshot
    for (const id of positions.keys()) if (!registered.has(id)) positions.delete(id);
    const wanted = members?.length ? new Set(members) : undefined;
    const asked = reachable.filter((m) => !wanted || wanted.has(m.id));
    const unavailable = new Set<string>(wanted ? [...wanted].filter((id) => registered.has(id) && !asked.some((m) => m.id === id)) : []);

    const pages = await Promise.all(
      asked.map(async (member) => {
        const position = positions.get(member.id) ?? null;
        const answer = await deps.ask(member, MEMBER_FEED_QUERY, { since: position, kinds: kinds?.length ? kinds : null, first: limit }, context);
        // only about a position the gateway sent: a member cannot stop a fresh start this way
        const failure = position === null ? undefined : answer.errors.find((e) => e.extensions?.code === 'CURSOR_EXPIRED' || e.extensions?.code === 'INVALID_CURSOR');
        if (failure) {
          throw new GraphQLError(
            failure.extensions?.code === 'CURSOR_EXPIRED'
              ? `Member "${member.id}" no longer keeps changes that old: resync from scratch (no \`since\`)`
              : `Member "${member.id}" refused its position in the cursor: resync from scratch (no \`since\`)`,
            { extensions: { code: failure.extensions?.code, member: member.id } },
          );
        }
        const page = answer.unavailable || answer.errors.length ? undefined : checkPage(answer.data?.changes, member.id, knownKinds);
        return { member, page };
      }),
    );

    // a k-way merge by time that keeps each member's own order, so what is taken from a member is
    // always a prefix of its page (its position can then move to the last change taken)
    const queues = pages.flatMap(({ member, page }) => {
      if (!page) {
        unavailable.add(member.id);
        return [];
      }
      return [{ member: member.id, changes: page.changes, next: 0 }];
    });
    const taken: { member: string; change: MemberChange }[] = [];
    while (taken.length < limit) {
      let best: (typeof queues)[number] | undefined;
      for (const q of queues) {
        if (q.next >= q.changes.length) continue;
        if (!best || Date.parse(q.changes[q.next].at) < Date.parse(best.changes[best.next].at)) best = q;
      }
      if (!best) break;
      taken.push({ member: best.member, change: best.changes[best.next++] });
    }
    let hasMore = queues.some((q) => q.next < q.changes.length);
    const takenPer = new Map<string, number>();
    for (const t of taken) takenPer.set(t.member, (takenPer.get(t.member) ?? 0) + 1);
    for (const { member, page } of pages) {
      if (!page) continue;
      const n = takenPer.get(member.id) ?? 0;
      if (n === page.changes.length) {
        positions.set(member.id, page.cursor);
        hasMore ||= page.hasMore;
      } else {
        // cut short by the merge: go on from this member's last change served
        if (n > 0) positions.set(member.id, page.changes[n - 1].cursor);
        hasMore = true;
      }
    }
    return {
      changes: taken.map(({ change }) => {
        const type = change.operation === 'UPSERT' ? deps.typeOfKind.get(change.kind) : undefined;
        return { ...change, at: new Date(change.at), record: type ? { __typename: type, id: change.id } : null };
      }),
      cursor: encodeNetworkCursor(positions),
      hasMore,
      unavailableMembers: [...unavailable].sort(),
    };
  };
}

/** A member's feed page, or undefined when anything in it breaks the contract or names another member. */
export function checkPage(value: unknown, sender: string, kinds: ReadonlySet<string>): { changes: MemberChange[]; cursor: string; hasMore: boolean } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const page = value as Record<string, unknown>;
  if (!isCursor(page.cursor) || typeof page.hasMore !== 'boolean' || !Array.isArray(page.changes)) return undefined;
  for (const c of page.changes as Record<string, unknown>[]) {
    if (!c || typeof c !== 'object') return undefined;
    if (!isCursor(c.cursor) || typeof c.kind !== 'string' || !kinds.has(c.kind)) return undefined;
    if (typeof c.id !== 'string' || !c.id.startsWith(`${sender}:`) || c.id.length <= sender.length + 1 || c.id.length > 1000) return undefined;
    if (c.member !== sender || (c.operation !== 'UPSERT' && c.operation !== 'REMOVE')) return undefined;
    if (typeof c.at !== 'string' || Number.isNaN(Date.parse(c.at))) return undefined;
    if (c.severity !== null && c.severity !== undefined && !(SEVERITIES as readonly unknown[]).includes(c.severity)) return undefined;
  }
  return { changes: (page.changes as MemberChange[]).map((c) => ({ ...c, severity: c.severity ?? null })), cursor: page.cursor as string, hasMore: page.hasMore };
}

function isCursor(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MEMBER_CURSOR;
}
