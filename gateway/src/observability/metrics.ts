import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MemberCallTally } from './member-call-tally';
import { OperationLabels } from '../../../common/observability/operation-labels';

/** The gateway's Prometheus metrics (prom-client), in a registry of its own. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'infrared_gateway_' });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    requests: new Counter({ name: 'infrared_gateway_requests_total', help: 'GraphQL requests by operation name and status', labelNames: ['operation', 'status'], registers: [registry] }),
    requestSeconds: new Histogram({ name: 'infrared_gateway_request_seconds', help: 'GraphQL request latency by operation name', labelNames: ['operation'], buckets, registers: [registry] }),
    /** Calls per member and outcome, and their latency (`infrared_gateway_member_calls_total`, `infrared_gateway_member_seconds`). */
    memberCalls: new MemberCallTally(registry, buckets),
    breakerState: new Gauge({ name: 'infrared_gateway_member_breaker_open', help: "1 when the member's circuit breaker is open or half-open", labelNames: ['member'], registers: [registry] }),
    /** Operation-name label values, bounded (common/observability/operation-labels.ts). */
    operations: new OperationLabels(),
    memberConcurrency: new Gauge({
      name: 'infrared_gateway_member_concurrency_limit',
      help: 'Calls allowed in flight to the member at once (adapts to its latency)',
      labelNames: ['member'],
      registers: [registry],
    }),
    shed: new Counter({
      name: 'infrared_gateway_shed_total',
      help: 'Requests shed with 503 OVERLOADED, by where no slot was free (request, member_call)',
      labelNames: ['stage'],
      registers: [registry],
    }),
    memberState: new Gauge({
      name: 'infrared_gateway_member_state',
      help: 'Health state per member: 1 for its current state (ok, unavailable, untrusted, incompatible, unknown), 0 for the others',
      labelNames: ['member', 'state'],
      registers: [registry],
    }),
    redisDegraded: new Gauge({ name: 'infrared_gateway_redis_degraded', help: '1 while the configured Redis is down or hung and the gateway runs on local state', registers: [registry] }),
    cache: new Counter({ name: 'infrared_gateway_response_cache_total', help: 'Response cache lookups by result (hit, miss)', labelNames: ['result'], registers: [registry] }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
