import { Counter, Histogram, type Registry } from 'prom-client';
import type { MemberOutcome } from '../fanout/member-client';

interface MemberTally {
  calls: Map<MemberOutcome, number>;
  /** Latencies per bucket (not cumulative), the last one past every bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

type HistogramExport = Awaited<ReturnType<Histogram<'member'>['get']>>;
interface ExportedValue {
  labels: Record<string, string | number>;
  /** The series' own labels, which prom-client writes first. */
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

const SECONDS = 'infrared_gateway_member_seconds';
const SECONDS_HELP = 'Fan-out call latency per member';

/**
 * The per-member call metrics (`infrared_gateway_member_calls_total{member,outcome}` and the
 * `infrared_gateway_member_seconds{member}` histogram), tallied in plain numbers and turned into
 * Prometheus series only when /metrics is scraped. A fan-out records one call per member per
 * request (500 a request at 500 members): prom-client's own `inc` and `observe` build a label
 * key and a closure for every one of them, and that cost grew with the member count.
 *
 * @example
 * const calls = new MemberCallTally(registry, [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]);
 * calls.record('alpha', 'ok', 0.012);
 */
export class MemberCallTally {
  private readonly members = new Map<string, MemberTally>();
  private readonly bounds: Float64Array;

  constructor(registry: Registry, buckets: readonly number[]) {
    const bounds = [...buckets].sort((a, b) => a - b);
    this.bounds = Float64Array.from(bounds);
    const tally = this.members;
    new Counter({
      name: 'infrared_gateway_member_calls_total',
      help: 'Fan-out calls per member and outcome (ok, timeout, error, circuit_open, overloaded, skipped)',
      labelNames: ['member', 'outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [member, t] of tally) for (const [outcome, n] of t.calls) this.inc({ member, outcome }, n);
      },
    });
    new TalliedHistogram(tally, bounds, registry);
  }

  /** One call to `member` ended with `outcome`; `seconds` when it was sent (its latency). */
  record(member: string, outcome: MemberOutcome, seconds?: number): void {
    let t = this.members.get(member);
    if (!t) this.members.set(member, (t = { calls: new Map(), buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 }));
    t.calls.set(outcome, (t.calls.get(outcome) ?? 0) + 1);
    if (seconds === undefined) return;
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]) i++;
    t.buckets[i]++;
    t.sum += seconds;
    t.count++;
  }
}

/** The latency histogram, exported from the tally in prom-client's own form (cumulative buckets, +Inf, sum, count). */
class TalliedHistogram extends Histogram<'member'> {
  constructor(
    private readonly tally: ReadonlyMap<string, MemberTally>,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super({ name: SECONDS, help: SECONDS_HELP, labelNames: ['member'], buckets: [...bounds], registers: [registry] });
  }

  /** The values with their labels in one object, as prom-client's `get()` gives them. */
  override async get(): Promise<HistogramExport> {
    const exported = this.export();
    for (const v of exported.values) {
      v.labels = { ...v.labels, ...v.sharedLabels };
      delete v.sharedLabels;
    }
    return exported as unknown as HistogramExport;
  }

  /** What prom-client's registry reads when it writes the text exposition (the member label first). */
  async getForPromString(): Promise<HistogramExport> {
    return this.export() as unknown as HistogramExport;
  }

  private export() {
    const values: ExportedValue[] = [];
    const bucketName = `${SECONDS}_bucket`;
    for (const [member, t] of this.tally) {
      if (t.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += t.buckets[i];
        values.push({ labels: { le: this.bounds[i] }, sharedLabels: { member }, value: cumulative, metricName: bucketName });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: { member }, value: t.count, metricName: bucketName });
      values.push({ labels: {}, sharedLabels: { member }, value: t.sum, metricName: `${SECONDS}_sum` });
      values.push({ labels: {}, sharedLabels: { member }, value: t.count, metricName: `${SECONDS}_count` });
    }
    return { name: SECONDS, help: SECONDS_HELP, type: 'histogram', values, aggregator: 'sum' };
  }
}
