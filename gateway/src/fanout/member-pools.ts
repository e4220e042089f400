import { Agent, Pool } from 'undici';

export interface MemberPoolOptions {
  /** Most keep-alive connections to one member (its share can be smaller, see `totalSockets`). */
  perMember: number;
  /** Most connections to all members together: each member's share is `totalSockets / members`. */
  totalSockets: number;
  /** An idle connection is closed after this long (below the members' own keep-alive timeout). */
  idleMs: number;
  /** How many members the registry lists now. */
  members: () => number;
}

export const DEFAULT_MEMBER_POOLS = { perMember: 32, totalSockets: 1024, idleMs: 15_000 } as const;

/** One member's connection limit: its fair share of the socket budget, at least 1, at most `perMember`. */
export function connectionsPerMember(opts: Pick<MemberPoolOptions, 'perMember' | 'totalSockets'>, members: number): number {
  return Math.max(1, Math.min(opts.perMember, Math.floor(opts.totalSockets / Math.max(1, members))));
}

/**
 * The keep-alive pools for member calls: one undici Pool per member origin, sized when it is
 * created from the registry's size, so that the gateway's sockets to all members stay within
 * `totalSockets` (500 members at 1024 sockets: 2 each; 4 members: 32 each). A pool whose
 * connections have all closed is dropped, and the next one is sized for the registry of that time.
 */
export function createMemberAgent(opts: MemberPoolOptions): Agent {
  return new Agent({
    factory: (origin, options) => new Pool(origin, { ...options, connections: connectionsPerMember(opts, opts.members()) }),
    pipelining: 1,
    keepAliveTimeout: opts.idleMs,
    keepAliveMaxTimeout: 600_000,
    connect: { timeout: 5_000 },
  });
}
