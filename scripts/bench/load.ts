import autocannon from 'autocannon';
import { Pool } from 'undici';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run against a GraphQL endpoint (loopback only). */
export async function load(url: string, query: string, opts: { seconds: number; connections: number; headers?: Record<string, string>; rate?: number }): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`benchmarks run against loopback only, not ${url}`);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify({ query }),
    connections: opts.connections,
    duration: opts.seconds,
    // A fixed offered rate (requests per second, all connections together) instead of a closed loop.
    ...(opts.rate ? { overallRate: opts.rate } : {}),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/**
 * An evenly paced open loop: one request every `1 / rate` seconds whatever the answers do, each
 * timed from when it was due to be sent to its last byte. (autocannon's `overallRate` lets every
 * connection send its share of each second back to back when the second starts, so `connections`
 * requests go at once, and corrects its histogram for coordinated omission as if a request were
 * due every millisecond: at 20 members one burst is 200 member calls at once.)
 */
export async function paced(url: string, query: string, opts: { seconds: number; rate: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`benchmarks run against loopback only, not ${url}`);
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: opts.connections });
  const body = JSON.stringify({ query });
  const headers = { 'content-type': 'application/json', ...opts.headers };
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const pending: Promise<void>[] = [];
  const total = Math.round(opts.seconds * opts.rate);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      pool
        .request({ path: `${target.pathname}${target.search}`, method: 'POST', headers, body })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          latencies.push(performance.now() - due);
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : NaN);
  return { rps: Math.round((latencies.length / elapsed) * 10) / 10, p50: at(0.5), p99: at(0.99), errors, non2xx };
}

/** Median of the runs, by requests per second (latencies from the same run). */
export function median(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A warm-up, then `rounds` measured runs; returns the median run. */
export async function measure(
  url: string,
  query: string,
  opts: { seconds: number; connections: number; rounds: number; headers?: Record<string, string> },
): Promise<LoadResult & { runs: LoadResult[] }> {
  await load(url, query, { ...opts, seconds: Math.max(1, Math.round(opts.seconds / 2)) });
  const runs: LoadResult[] = [];
  for (let i = 0; i < opts.rounds; i++) runs.push(await load(url, query, opts));
  return { ...median(runs), runs };
}

/**
 * Side by side: a warm-up of each target, then `rounds` rounds that run every target once in
 * turn (A B C, A B C, …), so drift in the machine's load hits all of them alike. Returns each
 * target's median run.
 */
export async function alternate<K extends string>(
  targets: Record<K, (seconds: number) => Promise<LoadResult>>,
  opts: { seconds: number; rounds: number; warmupSeconds?: number },
): Promise<Record<K, LoadResult & { runs: LoadResult[] }>> {
  const names = Object.keys(targets) as K[];
  for (const name of names) await targets[name](opts.warmupSeconds ?? Math.max(1, Math.round(opts.seconds / 2)));
  const runs = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  for (let i = 0; i < opts.rounds; i++) for (const name of names) runs[name].push(await targets[name](opts.seconds));
  return Object.fromEntries(names.map((n) => [n, { ...median(runs[n]), runs: runs[n] }])) as Record<K, LoadResult & { runs: LoadResult[] }>;
}
