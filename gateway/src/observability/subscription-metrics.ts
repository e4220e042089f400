import { Counter, Gauge, type Registry } from 'prom-client';

/** Why a live subscription was ended by the gateway (not by its client). */
export type StreamEndReason = 'slow_consumer' | 'token_expired' | 'token_revoked';

/** The live subscriptions' state, as the subscription hub reports it. */
export interface StreamStats {
  feeds: number;
  subscribers: number;
}

/**
 * Live subscriptions (/graphql/stream) in the gateway's Prometheus registry: subscribers and
 * shared upstream feeds now (read from the hub at each scrape), pages the shared feeds asked of
 * the members, events written to subscribers, and subscribers the gateway ended, by reason.
 */
export function createSubscriptionMetrics(registry: Registry) {
  let stats: () => StreamStats = () => ({ feeds: 0, subscribers: 0 });
  new Gauge({
    name: 'infrared_gateway_stream_subscribers',
    help: 'Live subscriptions (SSE streams) held now',
    registers: [registry],
    collect() {
      this.set(stats().subscribers);
    },
  });
  new Gauge({
    name: 'infrared_gateway_stream_shared_feeds',
    help: 'Shared upstream feeds running now (one per caller class with subscribers)',
    registers: [registry],
    collect() {
      this.set(stats().feeds);
    },
  });
  const upstreamPolls = new Counter({
    name: 'infrared_gateway_stream_upstream_polls_total',
    help: 'Pages the shared feeds asked of the network change feed (each asks every member once)',
    registers: [registry],
  });
  const delivered = new Counter({ name: 'infrared_gateway_stream_events_delivered_total', help: 'Change events written to subscribers', registers: [registry] });
  const dropped = new Counter({
    name: 'infrared_gateway_stream_subscribers_dropped_total',
    help: 'Subscriptions the gateway ended, by reason (slow_consumer, token_expired, token_revoked)',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    /** Where the gauges read the hub's state. */
    observe(source: () => StreamStats): void {
      stats = source;
    },
    upstreamPoll: () => upstreamPolls.inc(),
    delivered: () => delivered.inc(),
    dropped: (reason: StreamEndReason) => dropped.inc({ reason }),
  };
}

export type SubscriptionMetrics = ReturnType<typeof createSubscriptionMetrics>;
