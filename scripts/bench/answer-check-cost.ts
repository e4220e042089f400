import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { createLogger } from '../../common/logger';
import { startChild, type Child } from './child';
import { load, type LoadResult } from './load';

/**
 * `node dist/scripts/bench/answer-check-cost.js --base <dir>`: the gateway's latency and CPU per
 * request on the 20-member bench, this build against another build of the project (`<dir>` is a
 * checkout with `dist/` built, e.g. `git worktree add /tmp/base main && cd /tmp/base && npx tsc -p .`).
 * Both gateways run at once over the same member farm and are measured in alternation; figures
 * are medians. CPU per request is the gateway process's user+system time over the requests served.
 */

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const QUERIES = {
  small: '{ services { id name } }',
  rich: '{ services { id name kind status languages regions acceptingUsers member { id } capacity { id resource total used available } } }',
};

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s
}

async function run(gateway: Child<{ url: string }>, query: string, seconds: number, connections: number) {
  const before = cpuMs(gateway.pid);
  const result = await load(gateway.ready.url, query, { seconds, connections });
  const requests = result.rps * seconds;
  return { ...result, cpuMsPerRequest: requests > 0 ? (cpuMs(gateway.pid) - before) / requests : NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const base = arg('base', '');
  if (!base) throw new Error('give --base <dir>: a checkout of the code to compare with, built with `npx tsc -p .`');
  const baseGateway = resolve(base, 'dist/scripts/bench/gateway-process.js');
  const seconds = Number(arg('seconds', '5'));
  const rounds = Number(arg('rounds', '3'));
  const connections = Number(arg('connections', '10'));
  const members = Number(arg('members', '20'));
  const logger = createLogger('bench', 'error');
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const children: Child<unknown>[] = [];
  try {
    const farm = await startChild<{ members: { id: string; url: string }[] }>(
      'member-farm',
      {
        databaseUrl: process.env.DATABASE_URL ?? embedded!.url,
        schemaPrefix: `cost${Date.now().toString(36)}`,
        members: Array.from({ length: members }, (_, i) => ({ id: `m${String(i).padStart(2, '0')}`, services: 10, latencyMs: 5 })),
      },
      180_000,
    );
    children.push(farm);
    const file = join(mkdtempSync(join(tmpdir(), 'infrared-cost-')), 'network.yaml');
    writeFileSync(file, stringify({ network: { id: 'bench', name: 'Bench' }, members: farm.ready.members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    // no breakers and long deadlines: a loaded machine must slow both gateways down, not make one of them answer with errors
    const settings = { registryFile: file, responseCacheTtlSeconds: 0, dedupeRequests: false, breakerFailures: 1_000_000, memberDeadlineMs: 30_000, requestBudgetMs: 60_000 };
    const ours = await startChild<{ url: string }>('gateway-process', settings, 60_000);
    const theirs = await startChild<{ url: string }>(baseGateway, settings, 60_000);
    children.push(ours, theirs);
    process.stdout.write(
      `answer check cost: ${members} members × 10 services (5 ms each), ${cpus().length} cores, ${rounds} round(s) of ${seconds} s, ${connections} connections, no cache, no in-flight sharing\n`,
    );
    for (const [name, query] of Object.entries(QUERIES)) {
      const runs: Record<'ours' | 'base', (LoadResult & { cpuMsPerRequest: number })[]> = { ours: [], base: [] };
      await load(ours.ready.url, query, { seconds: 1, connections });
      await load(theirs.ready.url, query, { seconds: 1, connections });
      for (let r = 0; r < rounds; r++) {
        runs.ours.push(await run(ours, query, seconds, connections));
        runs.base.push(await run(theirs, query, seconds, connections));
      }
      const figure = (rs: typeof runs.ours) => ({
        rps: Math.round(median(rs.map((x) => x.rps))),
        p50: median(rs.map((x) => x.p50)),
        p99: median(rs.map((x) => x.p99)),
        cpuMsPerRequest: Math.round(median(rs.map((x) => x.cpuMsPerRequest)) * 100) / 100,
        errors: rs.reduce((n, x) => n + x.errors + x.non2xx, 0),
      });
      for (const g of [ours, theirs]) {
        const answer = (await (await fetch(g.ready.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
          data?: { services?: unknown[] };
          errors?: unknown[];
        };
        if (answer.errors?.length || answer.data?.services?.length !== members * 10) throw new Error(`an answer was incomplete: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      const o = figure(runs.ours);
      const b = figure(runs.base);
      process.stdout.write(
        `${name} (${query.length} chars): with the check p50 ${o.p50} ms, p99 ${o.p99} ms, ${o.rps} req/s, ${o.cpuMsPerRequest} ms CPU/request; base p50 ${b.p50} ms, p99 ${b.p99} ms, ${b.rps} req/s, ${b.cpuMsPerRequest} ms CPU/request; ` +
          `CPU ratio ${Math.round((o.cpuMsPerRequest / b.cpuMsPerRequest) * 100) / 100}, p50 ratio ${Math.round((o.p50 / b.p50) * 100) / 100}${o.errors || b.errors ? ` (errors: ${o.errors} / ${b.errors})` : ''}\n`,
      );
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
    await embedded?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
