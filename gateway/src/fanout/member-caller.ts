import { ASSERTION_HEADER } from '../../../common/auth/assertion';
import { AssertionBatcher } from '../../../common/auth/assertion-batch';
import { ASSERTION_PROOF_HEADER } from '../../../common/auth/assertion-merkle';
import { AssertionSigner } from '../../../common/auth/assertion-signer';
import type { PrivateJwk } from '../../../common/auth/keys';
import type { Logger } from '../../../common/logger';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { GatewayContext } from '../context';
import { AdaptiveLimit, INITIAL_MEMBER_LIMIT } from '../limits/adaptive-limit';
import { ConcurrencyLimiter } from '../limits/concurrency-limiter';
import { MemberBreaker, type BreakerState } from './member-breaker';
import { BASE_HEADERS, type MemberCallResult, type MemberClient } from './member-client';
import type { SubRequestBody } from './request-body';
import { loadMemberContract } from '../../../schema/contract';

export interface MemberAdmission {
  /** Most member calls in flight to one member at once (keep it at or below the client's pool
   * size); the limit in force adapts to the member's latency below it. */
  perMember: number;
  /** Member calls in flight in total. */
  total: number;
  /** Calls that may wait for a slot, per member and in total. */
  queue: number;
  /** The longest a call waits for a slot before its request is shed (503 OVERLOADED). */
  queueWaitMs: number;
}

export interface MemberCallerOptions {
  client: MemberClient;
  gatewayId: string;
  signingKey?: PrivateJwk;
  /**
   * Whether a member verifies batch assertions (it says so in its `/ready` answer): those get one
   * signature per fan-out and a Merkle proof, the others the classic assertion. Default: none.
   */
  acceptsBatchAssertions?: (memberId: string) => boolean;
  /**
   * A member refused a batch assertion although it named the batch form (it was downgraded since
   * its last health check): the call goes again in the classic form, and this is told so that the
   * member's next calls get the classic form until its `/ready` names the batch form again.
   */
  onBatchRefused?: (memberId: string) => void;
  defaultDeadlineMs: number;
  /** Failures in a row (counted per request that saw one) that open a member's breaker. */
  breakerFailures: number;
  /** How long an open breaker waits before a background probe of the member. */
  breakerHalfOpenMs: number;
  /** Share one call among identical anonymous sub-requests in flight (default true). */
  dedupe?: boolean;
  admission?: MemberAdmission;
  logger: Logger;
  onBreakerChange?: (member: string, state: BreakerState) => void;
}

/** Unlimited: only the tests of other parts construct a caller without admission settings. */
const NO_LIMITS: MemberAdmission = { perMember: Number.MAX_SAFE_INTEGER, total: Number.MAX_SAFE_INTEGER, queue: 0, queueWaitMs: 0 };
/** The background probe: anonymous, cheap, and it reaches the member's database (schema/kind-facts.ts). */
const probeBody = (): string => JSON.stringify({ query: loadMemberContract().kinds.probeQuery });
const CIRCUIT_OPEN: MemberCallResult = { outcome: 'circuit_open', reason: 'circuit open after repeated failures', durationMs: 0 };
const OVERLOADED: MemberCallResult = { outcome: 'overloaded', reason: 'the gateway is overloaded', durationMs: 0 };

interface SharedCall {
  result: Promise<MemberCallResult>;
  /** Requests waiting on this call, the one that started it included. */
  waiters: number;
}

/**
 * Calls one member for the fan-out: admission (a slot per member and in total, a short bounded
 * wait, else the request is shed), the deadline (the member's own, within what is left of the
 * request's budget, counted from when the call is sent), the signed assertion for this exact
 * body (for members that accept it, one signature over all calls of the turn, see
 * assertion-batch.ts), and a circuit breaker per member that counts only the member's own
 * failures and is probed in the background, never with a user's request.
 */
export class MemberCaller {
  private readonly breakers = new Map<string, { url: string; breaker: MemberBreaker }>();
  private readonly perMember = new Map<string, { slots: ConcurrencyLimiter; limit: AdaptiveLimit }>();
  private readonly total: ConcurrencyLimiter;
  private readonly admission: MemberAdmission;
  /** Identical anonymous sub-requests in flight at the same time share one call. */
  private readonly inFlight = new Map<string, SharedCall>();

  private readonly signer?: AssertionSigner;
  /** Signs the calls of one turn for one caller together (members that accept the batch form). */
  private readonly batcher?: AssertionBatcher;

  constructor(private readonly opts: MemberCallerOptions) {
    this.signer = opts.signingKey ? new AssertionSigner(opts.signingKey, opts.gatewayId) : undefined;
    this.batcher = this.signer && new AssertionBatcher(this.signer);
    this.admission = opts.admission ?? NO_LIMITS;
    this.total = new ConcurrencyLimiter(this.admission.total, this.admission.queue);
  }

  breakerState(memberId: string): BreakerState {
    return this.breakers.get(memberId)?.breaker.state ?? 'closed';
  }

  /** The concurrency limit in force for a member (it adapts to the member's latency). */
  memberLimit(memberId: string): number {
    return this.perMember.get(memberId)?.slots.limit ?? Math.min(this.admission.perMember, INITIAL_MEMBER_LIMIT);
  }

  /** Member calls in flight and waiting for a slot, in total. */
  load(): { active: number; queued: number } {
    return { active: this.total.active, queued: this.total.queued };
  }

  /** Forgets breakers and slots of members that left or moved. */
  forget(members: RegistryMember[]): void {
    const current = new Map(members.map((m) => [m.id, m.url]));
    for (const [id, entry] of this.breakers) {
      if (current.get(id) === entry.url) continue;
      entry.breaker.dispose();
      this.breakers.delete(id);
    }
    for (const id of this.perMember.keys()) if (!current.has(id)) this.perMember.delete(id);
  }

  /** Stops every background probe. */
  stop(): void {
    for (const entry of this.breakers.values()) entry.breaker.dispose();
  }

  /**
   * One member call. Not an async function: a call that is not shared returns the call's own
   * promise, without another promise (and its microtask turns) wrapped around it.
   */
  call = (member: RegistryMember, body: SubRequestBody, context: GatewayContext): Promise<MemberCallResult> => {
    // an open breaker costs nothing: no wait, no slot, no probe on the user's time
    if (!this.breaker(member).allows) return Promise.resolve({ ...CIRCUIT_OPEN });
    // An anonymous caller sees PUBLIC data only, the same for every anonymous caller, so
    // concurrent identical requests can share one answer. They share it read-only: the answer
    // check builds a fresh copy for each (a deep copy here would also recurse as deep as a
    // hostile answer nests, and overflow the stack).
    if (!context.caller.anonymous || this.opts.dedupe === false) return this.callOnce(member, body, context, undefined);
    return this.sharedCall(member, body, context);
  };

  private async sharedCall(member: RegistryMember, body: SubRequestBody, context: GatewayContext): Promise<MemberCallResult> {
    const key = `${member.id}\n${member.url}\n${context.acceptLanguage ?? ''}\n${body.text}`;
    const shared = this.inFlight.get(key);
    if (shared) {
      shared.waiters++;
      return shared.result;
    }
    const entry: SharedCall = { waiters: 1, result: undefined as never };
    entry.result = this.callOnce(member, body, context, entry);
    this.inFlight.set(key, entry);
    try {
      return await entry.result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** `shared`: the in-flight entry other requests wait on (a failure counts once per waiting request). */
  private async callOnce(member: RegistryMember, body: SubRequestBody, context: GatewayContext, shared: SharedCall | undefined): Promise<MemberCallResult> {
    const now = Date.now();
    const entry = this.memberSlots(member.id);
    const waitMs = Math.min(this.admission.queueWaitMs, Math.max(0, context.deadlineAt - now));
    // a free slot is taken at once; only a full member or gateway waits (within the queue wait)
    const own = entry.slots.tryAcquire() ?? (await entry.slots.acquire(waitMs));
    if (!own) return { ...OVERLOADED };
    const total = this.total.tryAcquire() ?? (await this.total.acquire(waitMs - (Date.now() - now)));
    if (!total) {
      own();
      return { ...OVERLOADED };
    }
    try {
      const breaker = this.breaker(member);
      // the breaker may have opened while this call waited for its slot
      if (!breaker.allows) return { ...CIRCUIT_OPEN };
      const remaining = context.deadlineAt - Date.now();
      // the request's own budget ran out before anything was sent: not the member's failure
      if (remaining <= 0) return { outcome: 'timeout', reason: 'request budget spent', durationMs: 0 };
      const memberDeadline = member.deadlineMs ?? this.opts.defaultDeadlineMs;
      const result = await this.send(member, body, context, Math.min(memberDeadline, remaining));
      // a refusal of this gateway's assertion is a fast, deliberate answer: the member is up
      if (result.outcome === 'ok' || result.outcome === 'untrusted') breaker.success();
      else breaker.failure(shared ? shared.waiters : 1);
      if (result.outcome === 'ok' || result.outcome === 'timeout' || result.outcome === 'error') entry.slots.limit = entry.limit.record(result.outcome, result.durationMs, memberDeadline);
      return result;
    } finally {
      total();
      own();
    }
  }

  /** A member's slots and the limit that adapts them, made on its first call. */
  private memberSlots(memberId: string): { slots: ConcurrencyLimiter; limit: AdaptiveLimit } {
    let entry = this.perMember.get(memberId);
    if (!entry) {
      const { perMember, queue } = this.admission;
      this.perMember.set(memberId, (entry = { slots: new ConcurrencyLimiter(perMember, queue), limit: new AdaptiveLimit(perMember) }));
    }
    return entry;
  }

  /**
   * Signs and sends one call. The batch form is one promise per call from here to the checked
   * result: the batcher calls back when the turn is signed and the client when the answer is in
   * (no promise, nor its microtask turns, in between). The header list is built once, complete.
   */
  private send(member: RegistryMember, body: SubRequestBody, context: GatewayContext, deadlineMs: number): Promise<MemberCallResult> {
    const headers = this.headersOf(context);
    const { client } = this.opts;
    if (this.batcher && this.opts.acceptsBatchAssertions?.(member.id)) {
      const batcher = this.batcher;
      // the fan-out's loop queues every call of this turn; one signature covers them (next microtask)
      return new Promise((resolve, reject) =>
        batcher.enqueue(
          { member: member.id, caller: context.caller, body: body.text },
          (assertion, proof) => {
            headers.push(ASSERTION_HEADER, assertion);
            if (proof) headers.push(ASSERTION_PROOF_HEADER, proof);
            // a single call of its turn gets the classic form (no proof): nothing to fall back from
            const done =
              proof === undefined
                ? resolve
                : (result: MemberCallResult) => (result.outcome === 'untrusted' ? this.sendClassicAfterRefusal(member, body, context, deadlineMs, result, resolve) : resolve(result));
            client.send(member.url, body.bytes, headers, deadlineMs, done);
          },
          reject,
        ),
      );
    }
    return new Promise((resolve) => this.sendClassic(member, body, context, headers, deadlineMs, resolve));
  }

  /** The headers every call carries, before its assertion. */
  private headersOf(context: GatewayContext): string[] {
    const headers = [...BASE_HEADERS, 'x-request-id', context.requestId];
    if (context.acceptLanguage) headers.push('accept-language', context.acceptLanguage);
    return headers;
  }

  /** The classic form: one assertion signed for this member alone (none without a signing key). */
  private sendClassic(member: RegistryMember, body: SubRequestBody, context: GatewayContext, headers: string[], deadlineMs: number, done: (result: MemberCallResult) => void): void {
    if (this.signer) headers.push(ASSERTION_HEADER, this.signer.sign({ member: member.id, caller: context.caller, body: body.text }));
    this.opts.client.send(member.url, body.bytes, headers, deadlineMs, done);
  }

  /**
   * A member that named the batch form refused a batch assertion: it was downgraded since its
   * last health check. A refused assertion means nothing ran (the member checks it before
   * anything else), so the call goes again, once, in the classic form, within what is left of its
   * deadline; the member's next calls get the classic form (`onBatchRefused`). A member that
   * refuses the classic form too answers `untrusted` as before.
   */
  private sendClassicAfterRefusal(
    member: RegistryMember,
    body: SubRequestBody,
    context: GatewayContext,
    deadlineMs: number,
    refused: MemberCallResult,
    done: (result: MemberCallResult) => void,
  ): void {
    this.opts.onBatchRefused?.(member.id);
    const left = deadlineMs - refused.durationMs;
    if (!this.signer || left <= 0) return done(refused);
    this.sendClassic(member, body, context, this.headersOf(context), left, (result) => done({ ...result, durationMs: result.durationMs + refused.durationMs }));
  }

  private async probe(member: RegistryMember): Promise<boolean> {
    const result = await this.opts.client.post(member.url, probeBody(), ['x-request-id', `breaker-probe-${member.id}`], member.deadlineMs ?? this.opts.defaultDeadlineMs);
    return result.outcome === 'ok' && !!result.body.data;
  }

  private breaker(member: RegistryMember): MemberBreaker {
    const entry = this.breakers.get(member.id);
    if (entry && entry.url === member.url) return entry.breaker;
    entry?.breaker.dispose();
    const breaker = new MemberBreaker({
      failures: this.opts.breakerFailures,
      probeAfterMs: this.opts.breakerHalfOpenMs,
      probe: () => this.probe(member),
      onChange: (state) => {
        this.opts.logger.warn({ member: member.id, breaker: state }, 'member circuit breaker changed state');
        this.opts.onBreakerChange?.(member.id, state);
      },
    });
    this.breakers.set(member.id, { url: member.url, breaker });
    return breaker;
  }
}
