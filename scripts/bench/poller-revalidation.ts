import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { createLogger } from '../../common/logger';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { startChild, type Child } from './child';
import { alternate, type LoadResult } from './load';

/**
 * `node dist/scripts/bench/poller-revalidation.js [--seconds 5] [--rounds 3] [--connections 10] [--members 10] [--services 20]`:
 * what a poller costs, side by side in one run against one gateway (response cache on, so every
 * way is a cache hit and only the HTTP edge differs): a POST query, the same query by GET, and
 * the GET revalidated with If-None-Match (304, no body). Prints each one's requests per second,
 * p50 and bytes per answer (medians of alternating rounds), and the ratios to POST.
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUERY = '{ services { id name kind status acceptingUsers member { id } capacity { id resource total used available } } }';

type Result = LoadResult & { bytes: number };

async function run(url: string, opts: { seconds: number; connections: number; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; expected: number }): Promise<Result> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`benchmarks run against loopback only, not ${url}`);
  const r = await autocannon({ url, method: opts.method, headers: opts.headers, body: opts.body, connections: opts.connections, duration: opts.seconds, expectBody: undefined });
  const wrong = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => Number(code) !== opts.expected);
  if (r.errors || r.timeouts || wrong.length) throw new Error(`unexpected answers: ${JSON.stringify({ errors: r.errors, timeouts: r.timeouts, statusCodeStats: r.statusCodeStats })}`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: 0, non2xx: 0, bytes: r.requests.total ? r.throughput.total / r.requests.total : 0 };
}

async function main(): Promise<void> {
  const opts = { seconds: arg('seconds', 5), rounds: arg('rounds', 3), connections: arg('connections', 10) };
  const memberCount = arg('members', 10);
  const logger = createLogger('bench', 'error');
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const children: Child<unknown>[] = [];
  try {
    const members = Array.from({ length: memberCount }, (_, i) => ({ id: `m${i}`, services: arg('services', 20) }));
    const farm = await startChild<{ members: { id: string; url: string }[] }>('member-farm', { databaseUrl, schemaPrefix: `pollbench${Date.now().toString(36)}`, members }, 180_000);
    children.push(farm);
    const registryFile = join(mkdtempSync(join(tmpdir(), 'infrared-poll-bench-')), 'network.yaml');
    writeFileSync(registryFile, stringify({ network: { id: 'bench', name: 'Bench' }, members: farm.ready.members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    const gateway = await startChild<{ url: string }>('gateway-process', { registryFile, responseCacheTtlSeconds: 3600 });
    children.push(gateway);
    const base = gateway.ready.url;
    const getUrl = `${base}?${new URLSearchParams({ query: QUERY })}`;
    const first = await fetch(getUrl, { headers: { 'apollo-require-preflight': 'true' } });
    const etag = first.headers.get('etag');
    if (first.status !== 200 || !etag) throw new Error(`no ETag on the public GET answer (status ${first.status})`);
    process.stdout.write(
      `poller bench: ${cpus().length} cores, node ${process.version}, ${memberCount} members, ${opts.rounds} alternating round(s) of ${opts.seconds} s, ${opts.connections} connections; answer ${(await first.text()).length} bytes\n`,
    );
    const preflight = { 'apollo-require-preflight': 'true' };
    const results = await alternate(
      {
        post: (seconds) => run(base, { ...opts, seconds, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }), expected: 200 }),
        get: (seconds) => run(getUrl, { ...opts, seconds, method: 'GET', headers: preflight, expected: 200 }),
        revalidate: (seconds) => run(getUrl, { ...opts, seconds, method: 'GET', headers: { ...preflight, 'if-none-match': etag }, expected: 304 }),
      },
      opts,
    );
    const post = results.post as unknown as Result;
    for (const [name, r] of Object.entries(results) as unknown as [string, Result][]) {
      process.stdout.write(
        `${name.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${r.bytes.toFixed(0)} bytes/answer  req/s ÷ POST ${(r.rps / post.rps).toFixed(2)}  bytes ÷ POST ${(r.bytes / post.bytes).toFixed(3)}\n`,
      );
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
    await embedded?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
