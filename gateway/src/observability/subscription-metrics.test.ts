import { Registry } from 'prom-client';
import { createSubscriptionMetrics } from './subscription-metrics';

/** The value of one sample in the registry's text exposition, or undefined when absent. */
async function sample(registry: Registry, line: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('subscription metrics', () => {
  it('reads subscribers and shared feeds from the hub at each scrape, and counts polls, deliveries and drops by reason', async () => {
    const registry = new Registry();
    const metrics = createSubscriptionMetrics(registry);
    expect(await sample(registry, 'infrared_gateway_stream_subscribers')).toBe(0);
    let stats = { feeds: 2, subscribers: 7 };
    metrics.observe(() => stats);
    expect(await sample(registry, 'infrared_gateway_stream_subscribers')).toBe(7);
    expect(await sample(registry, 'infrared_gateway_stream_shared_feeds')).toBe(2);
    stats = { feeds: 1, subscribers: 3 };
    expect(await sample(registry, 'infrared_gateway_stream_subscribers')).toBe(3);
    metrics.upstreamPoll();
    metrics.upstreamPoll();
    for (let i = 0; i < 5; i++) metrics.delivered();
    metrics.dropped('slow_consumer');
    metrics.dropped('token_revoked');
    metrics.dropped('token_revoked');
    expect(await sample(registry, 'infrared_gateway_stream_upstream_polls_total')).toBe(2);
    expect(await sample(registry, 'infrared_gateway_stream_events_delivered_total')).toBe(5);
    expect(await sample(registry, 'infrared_gateway_stream_subscribers_dropped_total{reason="slow_consumer"}')).toBe(1);
    expect(await sample(registry, 'infrared_gateway_stream_subscribers_dropped_total{reason="token_revoked"}')).toBe(2);
    expect(await sample(registry, 'infrared_gateway_stream_subscribers_dropped_total{reason="token_expired"}')).toBeUndefined();
  });
});
