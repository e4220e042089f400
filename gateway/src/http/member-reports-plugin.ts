import type { ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../../common/caller';
import type { GatewayContext, MemberReport } from '../context';
import type { MemberOutcome } from '../fanout/member-client';

const SEVERITY: Record<MemberOutcome, number> = { ok: 0, skipped: 1, untrusted: 2, circuit_open: 3, overloaded: 4, error: 5, timeout: 6 };

export interface MemberSummary {
  status: MemberOutcome;
  durationMs: number;
  /** Records or values the gateway dropped from this member's answers (contract or ownership). */
  dropped?: number;
  /** List items beyond the per-member cap, not taken. */
  truncated?: number;
  /** Root lists (response keys) that the member cut at its own cap: there is more; page with the `…Connection` field. */
  capped?: string[];
  /** The member's cap on one list. */
  limit?: number;
}

/** One report per member consulted: the worst outcome of its calls, the longest duration, and what was dropped or cut. */
export function summariseReports(reports: MemberReport[]): Record<string, MemberSummary> {
  const out: Record<string, MemberSummary> = {};
  for (const r of reports) {
    const prev = out[r.member];
    const next: MemberSummary = prev
      ? { status: SEVERITY[r.status] > SEVERITY[prev.status] ? r.status : prev.status, durationMs: Math.max(prev.durationMs, r.durationMs) }
      : { status: r.status, durationMs: r.durationMs };
    const dropped = (prev?.dropped ?? 0) + (r.dropped ?? 0);
    const truncated = (prev?.truncated ?? 0) + (r.truncated ?? 0);
    if (dropped) next.dropped = dropped;
    if (truncated) next.truncated = truncated;
    // most reports have no capped lists: no sets or arrays for them
    if (r.capped?.length || prev?.capped) {
      next.capped = [...new Set([...(prev?.capped ?? []), ...(r.capped ?? [])])].sort();
      next.limit = r.limit ?? prev?.limit;
    }
    out[r.member] = next;
  }
  return out;
}

/**
 * How finely `durationMs` is shown: a health hint (fast, slow, timed out), not a profiler.
 * Anonymous callers see it to the nearest 100 ms, authenticated callers to the nearest 10 ms;
 * operators get exact figures from the `infrared_gateway_member_seconds` histogram on /metrics.
 * Members do the same work whether or not a search matches hidden records (one SQL statement,
 * docs/security-model.md), so the figure carries no signal about them; coarse figures keep it
 * that way should a path ever regress.
 */
export function durationGrain(caller: Caller): number {
  return caller.anonymous ? 100 : 10;
}

/** A duration rounded to the caller's grain, never negative. */
export function roundDuration(ms: number, grain: number): number {
  return Math.max(0, Math.round(ms / grain) * grain);
}

/** Adds `extensions.members` to every response: what each member consulted did. */
export function memberReportsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const members = summariseReports(contextValue.reports);
          const grain = durationGrain(contextValue.caller);
          for (const report of Object.values(members)) report.durationMs = roundDuration(report.durationMs, grain);
          result.extensions = { ...(result.extensions ?? {}), members };
        },
      };
    },
  };
}
