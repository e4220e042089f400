import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleAll, CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import { ASSERTION_HEADER, signAssertion } from '../../../common/auth/assertion';
import type { PrivateJwk } from '../../../common/auth/keys';
import type { Logger } from '../../../common/logger';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { GatewayContext } from '../context';
import type { MemberCallResult, MemberClient } from './member-client';

export interface MemberCallerOptions {
  client: MemberClient;
  gatewayId: string;
  signingKey?: PrivateJwk;
  defaultDeadlineMs: number;
  /** Consecutive failures that open a member's breaker. */
  breakerFailures: number;
  /** How long an open breaker waits before a half-open probe. */
  breakerHalfOpenMs: number;
  /** Share one call among identical anonymous sub-requests in flight (default true). */
  dedupe?: boolean;
  logger: Logger;
  onBreakerChange?: (member: string, state: 'closed' | 'open' | 'half_open') => void;
}

class MemberFailure extends Error {
  constructor(readonly result: MemberCallResult) {
    super('member call failed');
  }
}

const STATE_NAMES: Record<CircuitState, 'closed' | 'open' | 'half_open'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Calls one member for the fan-out: the deadline (the member's own, within what is left of the
 * request's budget), the signed assertion for this exact body, and a circuit breaker per member
 * (cockatiel): once open, the member costs nothing until a half-open probe finds it back.
 */
export class MemberCaller {
  private readonly breakers = new Map<string, { url: string; policy: CircuitBreakerPolicy }>();
  /** Identical anonymous sub-requests in flight at the same time share one call. */
  private readonly inFlight = new Map<string, Promise<MemberCallResult>>();

  constructor(private readonly opts: MemberCallerOptions) {}

  breakerState(memberId: string): 'closed' | 'open' | 'half_open' {
    const entry = this.breakers.get(memberId);
    return entry ? STATE_NAMES[entry.policy.state] : 'closed';
  }

  /** Forgets breakers of members that left or moved. */
  forget(members: RegistryMember[]): void {
    const current = new Map(members.map((m) => [m.id, m.url]));
    for (const [id, entry] of this.breakers) if (current.get(id) !== entry.url) this.breakers.delete(id);
  }

  call = async (member: RegistryMember, body: string, context: GatewayContext): Promise<MemberCallResult> => {
    // An anonymous caller sees PUBLIC data only, the same for every anonymous caller, so
    // concurrent identical requests can share one answer (each gets its own copy).
    if (!context.caller.anonymous || this.opts.dedupe === false) return this.callOnce(member, body, context);
    const key = `${member.id}\n${member.url}\n${context.acceptLanguage ?? ''}\n${body}`;
    const shared = this.inFlight.get(key);
    if (shared) return structuredClone(await shared);
    const call = this.callOnce(member, body, context);
    this.inFlight.set(key, call);
    try {
      return structuredClone(await call);
    } finally {
      this.inFlight.delete(key);
    }
  };

  private async callOnce(member: RegistryMember, body: string, context: GatewayContext): Promise<MemberCallResult> {
    const policy = this.breaker(member);
    try {
      return await policy.execute(async () => {
        const result = await this.send(member, body, context);
        if (result.outcome !== 'ok') throw new MemberFailure(result);
        return result;
      });
    } catch (err) {
      if (err instanceof MemberFailure) return err.result;
      if (err instanceof BrokenCircuitError) return { outcome: 'circuit_open', reason: 'circuit open after repeated failures', durationMs: 0 };
      throw err;
    }
  }

  private async send(member: RegistryMember, body: string, context: GatewayContext): Promise<MemberCallResult> {
    const remaining = context.deadlineAt - Date.now();
    if (remaining <= 0) return { outcome: 'timeout', reason: 'request budget spent', durationMs: 0 };
    const headers: Record<string, string> = { 'x-request-id': context.requestId };
    if (context.acceptLanguage) headers['accept-language'] = context.acceptLanguage;
    if (this.opts.signingKey) {
      headers[ASSERTION_HEADER] = await signAssertion({ key: this.opts.signingKey, gatewayId: this.opts.gatewayId, member: member.id, caller: context.caller, body });
    }
    return this.opts.client.post(member.url, body, headers, Math.min(member.deadlineMs ?? this.opts.defaultDeadlineMs, remaining));
  }

  private breaker(member: RegistryMember): CircuitBreakerPolicy {
    const entry = this.breakers.get(member.id);
    if (entry && entry.url === member.url) return entry.policy;
    const policy = circuitBreaker(handleAll, { halfOpenAfter: this.opts.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(this.opts.breakerFailures) });
    policy.onStateChange((state) => {
      const name = STATE_NAMES[state];
      this.opts.logger.warn({ member: member.id, breaker: name }, 'member circuit breaker changed state');
      this.opts.onBreakerChange?.(member.id, name);
    });
    this.breakers.set(member.id, { url: member.url, policy });
    return policy;
  }
}
