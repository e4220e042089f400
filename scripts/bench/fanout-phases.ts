import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { createLogger } from '../../common/logger';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { startChild, type Child } from './child';
import type { ProbeRecord } from './phase-probe';
import { cpuSeconds } from './proc-stats';

/**
 * Where the time of a fan-out goes, N members against 1 (item 2's layout: every member in its own
 * process with 5 ms simulated latency, one gateway per size, a fixed offered rate). Each process
 * runs with phase-probe.js preloaded; requests carry their own `x-request-id`, which the gateway
 * forwards to the members, so gateway and member timestamps join per request. Prints the median
 * over requests of each phase, for 1 and for N members, side by side; then p50 and CPU time per
 * request next to the floor (bare fan-out and bare members, as item 2's), driven in the same rounds.
 *
 * `node dist/scripts/bench/fanout-phases.js [--members 20] [--seconds 10] [--rate 20] [--pool 1] [--count-sql] [--cpu-only] [--profile]`
 * (`--count-sql`: members with their SQL statement log on, as the farm's SQL-counting items run them;
 * `--profile`: V8 CPU profiles of every process in bench-results/profiles/phases-<process>/).
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const members = arg('members', 20);
const seconds = arg('seconds', 10);
const rate = arg('rate', 20);
const countSql = process.argv.includes('--count-sql');
/** `--pool N`: each member's database pool (item 2 runs 1). */
const pool = arg('pool', 1);
/**
 * `--cpu-only`: no probe (it has a cost of its own: an AsyncLocalStorage context per request and
 * timed `pg` queries), only p50 and CPU time per request, ours next to the floor.
 */
const cpuOnly = process.argv.includes('--cpu-only');
/** `--profile`: every process writes a V8 CPU profile to bench-results/profiles/phases-<name>/. */
const profile = process.argv.includes('--profile');
const QUERY = '{ services { id name } }';

type Probe = { summary: Record<string, number>; records: ProbeRecord[] };

async function main(): Promise<void> {
  const logger = createLogger('bench', 'error');
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const dir = mkdtempSync(join(tmpdir(), 'infrared-phases-'));
  const prefix = `phases${Date.now().toString(36)}`;
  const probe = (name: string) => ({
    args: [...(cpuOnly ? [] : ['--require', join(__dirname, 'phase-probe.js')]), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=bench-results/profiles/phases-${name}`] : [])],
    env: (cpuOnly ? {} : { PHASE_PROBE_FILE: join(dir, `${name}.json`) }) as Record<string, string>,
  });
  const children: Child<unknown>[] = [];
  try {
    const memberPids: number[] = [];
    const farms = await Promise.all(
      Array.from({ length: members }, async (_, i) => {
        const p = probe(`member-${i}`);
        const id = `p${String(i).padStart(2, '0')}`;
        const farm = await startChild<{ members: { id: string; url: string }[] }>(
          'member-farm',
          { databaseUrl, schemaPrefix: `${prefix}_solo${i}`, members: [{ id, services: 10, latencyMs: 5 }], poolMax: pool, countSql },
          180_000,
          p.args,
          p.env,
        );
        children.push(farm);
        memberPids[i] = farm.pid;
        return farm.ready.members[0];
      }),
    );
    const sizes = [1, members];
    const gateways = await Promise.all(
      sizes.map(async (size) => {
        const registryFile = join(dir, `fan-${size}.yaml`);
        writeFileSync(
          registryFile,
          stringify({ network: { id: 'bench', name: 'Bench' }, members: farms.slice(0, size).map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }),
        );
        const p = probe(`gateway-${size}`);
        const g = await startChild<{ url: string }>('gateway-process', { registryFile, responseCacheTtlSeconds: 0 }, 60_000, p.args, p.env);
        children.push(g);
        return g;
      }),
    );
    // the floor (as item 2's): bare HTTP members answering each member's own answer after 5 ms, bare fan-outs
    const answers = await Promise.all(farms.map(async (m) => (await fetch(m.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) })).text()));
    const bareMembers = await Promise.all(answers.map((body) => startChild<{ url: string }>('static-answer', { body, contentType: 'application/json', latencyMs: 5 })));
    children.push(...bareMembers);
    const bareFanouts = await Promise.all(sizes.map((size) => startChild<{ url: string }>('bare-fanout', { members: bareMembers.slice(0, size).map((b) => b.ready.url) })));
    children.push(...bareFanouts);
    const bare: Record<number, { ms: number[]; fanout: number; members: number }> = {};
    const client: Record<number, { id: string; ms: number }[]> = {};
    /** CPU seconds spent while each size was driven: its gateway, the members it asks, the members it does not. */
    const cpu: Record<number, { gateway: number; asked: number; idle: number }> = {};
    const memberCpu = (from: number, to: number) => memberPids.slice(from, to).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    for (const [round, measured] of [
      [0, false],
      [1, true],
      [2, true],
    ] as const) {
      for (let s = 0; s < sizes.length; s++) {
        const before = { gateway: cpuSeconds(gateways[s].pid), asked: memberCpu(0, sizes[s]), idle: memberCpu(sizes[s], members) };
        const results = await drive(gateways[s].ready.url, `n${sizes[s]}-r${round}`, measured ? seconds : 2);
        if (!measured) continue;
        (client[sizes[s]] ??= []).push(...results);
        const spent = (cpu[sizes[s]] ??= { gateway: 0, asked: 0, idle: 0 });
        spent.gateway += cpuSeconds(gateways[s].pid) - before.gateway;
        spent.asked += memberCpu(0, sizes[s]) - before.asked;
        spent.idle += memberCpu(sizes[s], members) - before.idle;
      }
      for (let s = 0; s < sizes.length; s++) {
        const pids = bareMembers.slice(0, sizes[s]).map((b) => b.pid);
        const before = { fanout: cpuSeconds(bareFanouts[s].pid), members: pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) };
        const results = await drive(bareFanouts[s].ready.url, `bare${sizes[s]}-r${round}`, measured ? seconds : 2);
        if (!measured) continue;
        const spent = (bare[sizes[s]] ??= { ms: [], fanout: 0, members: 0 });
        spent.ms.push(...results.map((r) => r.ms));
        spent.fanout += cpuSeconds(bareFanouts[s].pid) - before.fanout;
        spent.members += pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - before.members;
      }
    }
    for (const c of children.splice(0).reverse()) await c.stop();
    const p50 = (size: number) => median(client[size].map((c) => c.ms));
    const perRequest = (cpuS: number, requests: number) => Math.round((cpuS * 1e5) / requests) / 100;
    process.stdout.write(`fan-out, ${members} members in separate processes, 5 ms each, ${rate} req/s offered, ${seconds} s × 2 per target${countSql ? ', members logging SQL' : ''}\n`);
    if (!cpuOnly) {
      const read = (name: string): Probe => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Probe;
      const memberProbes = farms.map((_, i) => read(`member-${i}`));
      const byId = new Map<string, ProbeRecord[]>();
      for (const m of memberProbes) for (const r of m.records) (byId.get(r.id) ?? byId.set(r.id, []).get(r.id)!).push(r);
      const calls = (size: number) => [...byId.entries()].filter(([id]) => id.startsWith(`n${size}-r1-`) || id.startsWith(`n${size}-r2-`)).reduce((sum, [, list]) => sum + list.length, 0);
      const table: Record<string, Record<string, number>> = {};
      for (const size of sizes) {
        const gw = read(`gateway-${size}`);
        const measuredIds = new Set(client[size].map((c) => c.id));
        table[`N=${size}`] = {
          ...phases(
            gw.records.filter((r) => measuredIds.has(r.id)),
            byId,
            client[size],
          ),
          gatewayCpuMsPerRequest: perRequest(cpu[size].gateway, client[size].length),
          // per call the members received (a shared call serves several requests: it is counted once)
          memberCpuMsPerCall: perRequest(cpu[size].asked, calls(size)),
          idleMembersCpuMsPerRequest: perRequest(cpu[size].idle, client[size].length),
          memberCalls: calls(size),
          gatewayConnectsToMembers: gw.summary.connects,
        };
      }
      process.stdout.write(`medians over requests, ms from the gateway receiving the request (member times: median call, and the last one)\n`);
      for (const key of Object.keys(table[`N=${sizes[0]}`])) process.stdout.write(`${key.padEnd(34)} ${sizes.map((s) => String(table[`N=${s}`][key]).padStart(9)).join(' ')}\n`);
      process.stdout.write(`connections the members accepted, all together: ${memberProbes.reduce((sum, m) => sum + m.summary.accepts, 0)}\n`);
    }
    process.stdout.write(`\nside by side, same rounds (the floor: bare fan-out and bare members, as item 2's${cpuOnly ? '' : '; ours with the probe'}):\n`);
    process.stdout.write(
      `ours:  p50 N=1 ${p50(1)} ms, N=${members} ${p50(members)} ms, ratio ${Math.round((p50(members) / p50(1)) * 100) / 100}; CPU per request at N=${members}: gateway ${perRequest(cpu[members].gateway, client[members].length)} ms, members ${perRequest(cpu[members].asked, client[members].length)} ms\n`,
    );
    const floor = bare[members];
    process.stdout.write(
      `floor: p50 N=1 ${median(bare[1].ms)} ms, N=${members} ${median(floor.ms)} ms, ratio ${Math.round((median(floor.ms) / median(bare[1].ms)) * 100) / 100}; CPU per request at N=${members}: fan-out ${perRequest(floor.fanout, floor.ms.length)} ms, members ${perRequest(floor.members, floor.ms.length)} ms\n`,
    );
  } finally {
    for (const c of children.splice(0).reverse()) await c.stop();
    await embedded?.stop();
  }
}

/** Sends requests at `rate` per second for `seconds`, each with its own request id; returns each one's latency. */
async function drive(url: string, tag: string, seconds: number): Promise<{ id: string; ms: number }[]> {
  const pool = new Pool(new URL(url).origin, { connections: 10 });
  const path = new URL(url).pathname;
  const body = JSON.stringify({ query: QUERY });
  const pending: Promise<{ id: string; ms: number }>[] = [];
  const total = Math.round(seconds * rate);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = `${tag}-${i}`;
    const sent = performance.now();
    pending.push(
      pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body }).then(async (r) => {
        await r.body.text();
        if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`);
        return { id, ms: performance.now() - sent };
      }),
    );
  }
  const results = await Promise.all(pending);
  await pool.close();
  return results;
}

const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)] * 100) / 100 : NaN;
};

/** Per request: the gateway's phases and its member calls' phases; then the median of each over requests. */
function phases(gateway: ProbeRecord[], memberRecords: Map<string, ProbeRecord[]>, client: { id: string; ms: number }[]): Record<string, number> {
  const rows: Record<string, number>[] = [];
  for (const g of gateway) {
    if (g.in === undefined || g.out === undefined || !g.calls?.length) continue; // a shared (deduplicated) call: its own request carries the timings
    const at = (t: number | undefined) => (t === undefined ? NaN : t - g.in!);
    const calls = g.calls;
    const ms = (memberRecords.get(g.id) ?? []).filter((m) => m.in !== undefined && m.out !== undefined);
    const last = (values: number[]) => Math.max(...values);
    const mid = (values: number[]) => median(values);
    rows.push({
      clientMs: client.find((c) => c.id === g.id)?.ms ?? NaN,
      gatewayInToOut: at(g.out),
      firstCallCreated: at(Math.min(...calls.map((c) => c.created))),
      lastCallCreated: at(last(calls.map((c) => c.created))),
      lastCallSent: at(last(calls.map((c) => c.sent ?? NaN))),
      memberInMedian: mid(ms.map((m) => at(m.in))),
      memberInLast: at(last(ms.map((m) => m.in!))),
      memberServiceMedian: mid(ms.map((m) => m.out! - m.in!)),
      memberServiceMax: last(ms.map((m) => m.out! - m.in!)),
      memberInToFirstSqlMedian: mid(ms.map((m) => (m.sql ? m.sql.first - m.in! : NaN))),
      memberSqlSpanMedian: mid(ms.map((m) => (m.sql ? m.sql.last - m.sql.first : NaN))),
      memberSqlStatements: mid(ms.map((m) => m.sql?.n ?? 0)),
      memberLastSqlToOutMedian: mid(ms.map((m) => (m.sql ? m.out! - m.sql.last : NaN))),
      memberOutMedian: mid(ms.map((m) => at(m.out))),
      memberOutLast: at(last(ms.map((m) => m.out!))),
      answerHeadersLast: at(last(calls.map((c) => c.headers ?? NaN))),
      answerDoneMedian: mid(calls.map((c) => at(c.done))),
      answerDoneLast: at(last(calls.map((c) => c.done ?? NaN))),
      lastAnswerToWritten: g.out! - last(calls.map((c) => c.done ?? NaN)),
    });
  }
  const keys = Object.keys(rows[0] ?? {});
  return { requests: rows.length, ...Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k]))])) };
}

main().catch((err) => {
  process.stderr.write(`fanout-phases failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
