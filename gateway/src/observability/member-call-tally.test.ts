import { Counter, Histogram, Registry } from 'prom-client';
import type { MemberOutcome } from '../fanout/member-client';
import { MemberCallTally } from './member-call-tally';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CALLS: [string, MemberOutcome, number | undefined][] = [
  ['alpha', 'ok', 0.004],
  ['alpha', 'ok', 0.005], // on a bound: counted in that bucket
  ['alpha', 'ok', 0.2],
  ['alpha', 'timeout', 2],
  ['beta', 'error', 12], // past every bound: +Inf only
  ['beta', 'circuit_open', undefined], // not sent: counted, no latency
  ['gamma', 'overloaded', undefined],
];

describe('MemberCallTally', () => {
  it('exposes exactly what prom-client would for the same calls', async () => {
    const ours = new Registry();
    const tally = new MemberCallTally(ours, BUCKETS);
    const reference = new Registry();
    const calls = new Counter({
      name: 'infrared_gateway_member_calls_total',
      help: 'Fan-out calls per member and outcome (ok, timeout, error, circuit_open, overloaded, skipped)',
      labelNames: ['member', 'outcome'],
      registers: [reference],
    });
    const seconds = new Histogram({ name: 'infrared_gateway_member_seconds', help: 'Fan-out call latency per member', labelNames: ['member'], buckets: BUCKETS, registers: [reference] });
    for (const [member, outcome, s] of CALLS) {
      tally.record(member, outcome, s);
      calls.inc({ member, outcome });
      if (s !== undefined) seconds.observe({ member }, s);
    }
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('infrared_gateway_member_seconds_bucket{le="0.005",member="alpha"} 2');
    expect(text).toContain('infrared_gateway_member_seconds_bucket{le="10",member="beta"} 0');
    expect(text).toContain('infrared_gateway_member_seconds_bucket{le="+Inf",member="beta"} 1');
    expect(text).toContain('infrared_gateway_member_calls_total{member="beta",outcome="circuit_open"} 1');
    expect(text).not.toContain('infrared_gateway_member_seconds_count{member="gamma"}');
    // and the values as prom-client's API gives them
    const [ourSeconds, referenceSeconds] = await Promise.all([ours.getSingleMetric('infrared_gateway_member_seconds')!.get(), seconds.get()]);
    // (prom-client's carry an empty exemplar slot)
    expect(ourSeconds.values).toEqual(referenceSeconds.values.map((v) => ({ labels: v.labels, value: v.value, metricName: v.metricName })));
  });

  it('keeps counting between scrapes (counters never go back)', async () => {
    const registry = new Registry();
    const tally = new MemberCallTally(registry, BUCKETS);
    tally.record('alpha', 'ok', 0.01);
    expect(await registry.metrics()).toContain('infrared_gateway_member_calls_total{member="alpha",outcome="ok"} 1');
    tally.record('alpha', 'ok', 0.01);
    const text = await registry.metrics();
    expect(text).toContain('infrared_gateway_member_calls_total{member="alpha",outcome="ok"} 2');
    expect(text).toContain('infrared_gateway_member_seconds_count{member="alpha"} 2');
    expect(text).toContain('infrared_gateway_member_seconds_sum{member="alpha"} 0.02');
  });
});
