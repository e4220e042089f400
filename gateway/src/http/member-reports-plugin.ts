import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext, MemberReport } from '../context';
import type { MemberOutcome } from '../fanout/member-client';

const SEVERITY: Record<MemberOutcome, number> = { ok: 0, skipped: 1, circuit_open: 2, overloaded: 3, error: 4, timeout: 5 };

/** One report per member consulted: the worst outcome of its calls and the longest duration. */
export function summariseReports(reports: MemberReport[]): Record<string, { status: MemberOutcome; durationMs: number }> {
  const out: Record<string, { status: MemberOutcome; durationMs: number }> = {};
  for (const r of reports) {
    const prev = out[r.member];
    if (!prev) out[r.member] = { status: r.status, durationMs: r.durationMs };
    else out[r.member] = { status: SEVERITY[r.status] > SEVERITY[prev.status] ? r.status : prev.status, durationMs: Math.max(prev.durationMs, r.durationMs) };
  }
  return out;
}

/** Adds `extensions.members` to every response: what each member consulted did. */
export function memberReportsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...(result.extensions ?? {}), members: summariseReports(contextValue.reports) };
        },
      };
    },
  };
}
