import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createLogger } from '../../common/logger';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { startChild, type Child } from './child';
import { measure } from './load';

/**
 * `node dist/scripts/bench/cache-hit.js [--seconds 5] [--rounds 3] [--connections 10] [--members 3]`:
 * the same PUBLIC query through two gateways side by side in one run, one answering from its
 * response cache (every request a hit) and one with the cache off (every request a fan-out), on
 * loopback. Prints requests per second of each (medians of the rounds) and cached ÷ uncached.
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUERY = '{ services { id name kind member { id } } }';

async function main(): Promise<void> {
  const opts = { seconds: arg('seconds', 5), rounds: arg('rounds', 3), connections: arg('connections', 10) };
  const memberCount = arg('members', 3);
  const logger = createLogger('bench', 'error');
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const children: Child<unknown>[] = [];
  try {
    const members = Array.from({ length: memberCount }, (_, i) => ({ id: `m${i}`, services: 10 }));
    const farm = await startChild<{ members: { id: string; url: string }[] }>('member-farm', { databaseUrl, schemaPrefix: `cachebench${Date.now().toString(36)}`, members }, 180_000);
    children.push(farm);
    const registryFile = join(mkdtempSync(join(tmpdir(), 'infrared-cache-bench-')), 'network.yaml');
    writeFileSync(registryFile, stringify({ network: { id: 'bench', name: 'Bench' }, members: farm.ready.members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    const cached = await startChild<{ url: string }>('gateway-process', { registryFile, responseCacheTtlSeconds: 3600 });
    const uncached = await startChild<{ url: string }>('gateway-process', { registryFile, responseCacheTtlSeconds: 0 });
    children.push(cached, uncached);
    process.stdout.write(`cache-hit bench: ${cpus().length} cores, node ${process.version}, ${memberCount} members, ${opts.rounds} round(s) of ${opts.seconds} s, ${opts.connections} connections\n`);
    const hit = await measure(cached.ready.url, QUERY, opts);
    const miss = await measure(uncached.ready.url, QUERY, opts);
    if (hit.non2xx || miss.non2xx || hit.errors || miss.errors) throw new Error(`failed requests: ${JSON.stringify({ hit, miss })}`);
    process.stdout.write(`cached   ${hit.rps.toFixed(0)} req/s (p50 ${hit.p50} ms, p99 ${hit.p99} ms)\n`);
    process.stdout.write(`uncached ${miss.rps.toFixed(0)} req/s (p50 ${miss.p50} ms, p99 ${miss.p99} ms)\n`);
    process.stdout.write(`cached ÷ uncached = ${(hit.rps / miss.rps).toFixed(1)}\n`);
  } finally {
    for (const c of children.reverse()) await c.stop();
    await embedded?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
