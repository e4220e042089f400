import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../common/caller';
import type { ForwardedProof } from '../../common/auth/forwarded-proof';
import type { MemberOutcome } from './fanout/member-client';
import type { Registry } from '../../common/registry/registry.schema';

/** One call's report, gathered into `extensions.members`. */
export interface MemberReport {
  member: string;
  status: MemberOutcome;
  durationMs: number;
  reason?: string;
  /** Records or values the answer check dropped from this call's answer. */
  dropped?: number;
  /** List items beyond the per-member cap, not taken. */
  truncated?: number;
  /** Errors the member reported, or the gateway reported about its answer. */
  errors?: number;
  /** Root lists the member's own cap cut (`extensions.capped` of its answer), and that cap. */
  capped?: string[];
  limit?: number;
}

/** The per-request context the gateway's resolvers and the fan-out see. */
export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** The registry snapshot this request started with; reloads do not change it mid-flight. */
  registry: Registry;
  acceptLanguage?: string;
  /** The whole-request budget: no member call may run past this instant (ms since epoch). */
  deadlineAt: number;
  /** Shared by every copy of the context the server makes for this request. */
  reports: MemberReport[];
  /** The client's address, for anonymous callers' rate limits. */
  ip?: string;
  /**
   * A proven caller's token, proof and exact original body: forwarded with every sub-request the
   * planner makes for this request, so that each member checks the caller itself.
   */
  forwardProof?: ForwardedProof;
  /** The operation's estimated cost and the rate-limit points it was charged. */
  cost?: { estimate: number; points: number };
}

/** A request's context: its id (the client's `x-request-id` when well-formed), caller, registry snapshot and budget. */
export function createRequestContext(req: IncomingMessage, caller: Caller, registry: Registry, budgetMs: number): GatewayContext {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
  const acceptLanguage = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'].slice(0, 200) : undefined;
  return { requestId, caller, registry, acceptLanguage, deadlineAt: Date.now() + budgetMs, reports: [], ip: req.socket.remoteAddress };
}
