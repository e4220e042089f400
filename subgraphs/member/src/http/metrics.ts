import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RouteHandler } from '../../../../common/http/server';
import { OperationLabels } from '../../../../common/observability/operation-labels';

/** A member subgraph's Prometheus metrics: requests and latency by operation name. */
export function createMemberMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'infrared_member_' });
  const requests = new Counter({ name: 'infrared_member_requests_total', help: 'GraphQL requests by operation name and status', labelNames: ['operation', 'status'], registers: [registry] });
  const seconds = new Histogram({
    name: 'infrared_member_request_seconds',
    help: 'GraphQL request latency by operation name',
    labelNames: ['operation'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const labels = new OperationLabels();
  const route: RouteHandler = async (_req, res) => {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
  };
  return {
    registry,
    route,
    observe(body: unknown, status: number, startedAt: number) {
      const operation = labels.label((body as { operationName?: unknown } | undefined)?.operationName, status === 200);
      requests.inc({ operation, status: String(status) });
      seconds.observe({ operation }, (performance.now() - startedAt) / 1000);
    },
  };
}
