import type { RouteHandler } from '../../../common/http/server';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import type { MemberCallObserver } from '../fanout/fanout-data-source';
import type { MemberCaller } from '../fanout/member-caller';
import type { GatewayMetrics } from './metrics';

/**
 * Records each member call's metrics: outcome per member, latency of calls that were sent,
 * sheds. The fan-out calls it with every result it awaited (once per request that waited on a
 * call, as the outcome counts do), so no promise is wrapped around hundreds of calls a request.
 */
export function memberCallObserver(metrics: GatewayMetrics): MemberCallObserver {
  return (member, result) => {
    const sent = result.outcome !== 'circuit_open' && result.outcome !== 'overloaded';
    metrics.memberCalls.record(member.id, result.outcome, sent ? result.durationMs / 1000 : undefined);
    if (result.outcome === 'overloaded') metrics.shed.inc({ stage: 'member_call' });
  };
}

/** `/metrics`: Prometheus text, with each member's breaker state and concurrency limit, and Redis's state, read at scrape time. */
export function metricsRoute(metrics: GatewayMetrics, caller: MemberCaller, members: () => readonly RegistryMember[], redis?: { degraded: boolean }): RouteHandler {
  return async (_req, res) => {
    for (const m of members()) {
      metrics.breakerState.set({ member: m.id }, caller.breakerState(m.id) === 'closed' ? 0 : 1);
      metrics.memberConcurrency.set({ member: m.id }, caller.memberLimit(m.id));
    }
    if (redis) metrics.redisDegraded.set(redis.degraded ? 1 : 0);
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(text);
  };
}
