import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { issueCallerToken } from '../../common/auth/caller-token';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import type { Logger } from '../../common/logger';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { startChild, type Child } from './child';
import { alternate, load, type LoadResult } from './load';
import { cpuSeconds } from './proc-stats';
import { gatewayNodeOptions } from '../../gateway/src/limits/young-generation';

/** What every comparison gets from the benchmark run. */
export interface BenchContext {
  databaseUrl: string;
  /** Prefix of the PostgreSQL schemas this run creates. */
  prefix: string;
  dir: string;
  seconds: number;
  rounds: number;
  connections: number;
  smoke: boolean;
  logger: Logger;
  /** A built checkout of the code to compare with (`--base`), or undefined to skip those figures. */
  baseRoot?: string;
  /** Node flags for the processes under test (`--profile`: V8 CPU profiles). */
  nodeArgs: string[];
  /** Registers a child process to stop at the end. */
  track<T extends { stop(): Promise<void> }>(child: T): T;
  log(line: string): void;
}

const REPO = join(__dirname, '..', '..', '..');
const DEMO = join(REPO, 'demo');
const SERVICES = '{ services { id name kind } }';

export function strip(r: LoadResult): LoadResult {
  return { rps: Math.round(r.rps), p50: r.p50, p99: r.p99, errors: r.errors, non2xx: r.non2xx };
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A load run that also measures the CPU time the serving processes used per answered request
 * (Linux /proc). On a shared machine throughput depends on the CPU share the scheduler gives;
 * CPU per request does not, so it is the steadier figure to compare.
 */
export function withCpu(pids: () => number[], run: (seconds: number) => Promise<LoadResult>, samples: number[], measuredSeconds: number) {
  return async (seconds: number) => {
    const before = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const result = await run(seconds);
    const used = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0) - before;
    if (seconds === measuredSeconds) samples.push((used * 1000) / Math.max(1, result.rps * seconds));
    return result;
  };
}

export function medianOf(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

export function ms3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Imports a demo member's data file into its own schema of this run. */
async function seedDemoMember(ctx: BenchContext, id: string): Promise<string> {
  const schema = `${ctx.prefix}_${id.replace(/-/g, '_')}`;
  const orm = await openDatabase({ url: ctx.databaseUrl, schema, poolMax: 2 }, ctx.logger);
  try {
    await importMemberData(orm, id, readFileSync(join(DEMO, 'members', `${id}.yaml`), 'utf8'), { prune: true });
  } finally {
    await orm.close(true);
  }
  return schema;
}

/** Whether a built checkout's gateway has admission control (its settings know `maxMemberCalls`). */
/**
 * The environment a build's gateway runs with when launched as that build ships it: with the
 * gateway's young generation (gateway/src/limits/young-generation.ts) from the build that
 * introduced it on; V8's default before. A semi-space in the NODE_OPTIONS this script runs under
 * wins for every build (then the code is compared, not the launch).
 */
function shippedLaunch(root?: string): Record<string, string> {
  if (root && !existsSync(join(root, 'dist', 'gateway', 'src', 'limits', 'young-generation.js'))) return {};
  return { NODE_OPTIONS: gatewayNodeOptions(process.env.NODE_OPTIONS) };
}

function hasAdmission(root: string): boolean {
  try {
    return readFileSync(join(root, 'dist', 'gateway', 'src', 'config.js'), 'utf8').includes('maxMemberCalls');
  } catch {
    return false;
  }
}

/** A process script of this build (`name`) or of the base build, for `startChild`. */
export function script(name: string, root?: string): string {
  return root ? relative(__dirname, join(root, 'dist', 'scripts', 'bench', name)) : name;
}

/**
 * 8. The member subgraph against a plain `node:http` + `pg` server that runs the same SQL and
 * writes the same JSON, on the same database (the demo's `kafshata` data), alternating rounds,
 * after a longer warm-up (the ORM's and GraphQL's code paths take seconds to be optimised).
 */
export async function memberVsPlainPg(ctx: BenchContext) {
  const schema = await seedDemoMember(ctx, 'kafshata');
  const member = ctx.track(await startChild<{ url: string }>('member-process', { memberId: 'kafshata', databaseUrl: ctx.databaseUrl, schema }, 60_000, ctx.nodeArgs));
  const plain = ctx.track(await startChild<{ url: string }>('plain-pg-member', { memberId: 'kafshata', databaseUrl: ctx.databaseUrl, schema }));
  const baseMember = ctx.baseRoot
    ? ctx.track(await startChild<{ url: string }>('member-process', { root: ctx.baseRoot, memberId: 'kafshata', databaseUrl: ctx.databaseUrl, schema }, 60_000))
    : undefined;
  const opts = { seconds: ctx.seconds, connections: ctx.connections };
  const cpu: Record<string, number[]> = { member: [], plain: [], base: [] };
  const target = (name: string, child: Child<{ url: string }>) =>
    withCpu(
      () => [child.pid],
      (s) => load(child.ready.url, SERVICES, { ...opts, seconds: s }),
      cpu[name],
      ctx.seconds,
    );
  const r = await alternate(
    { member: target('member', member), plain: target('plain', plain), ...(baseMember ? { base: target('base', baseMember) } : {}) } as Record<
      'member' | 'plain' | 'base',
      (s: number) => Promise<LoadResult>
    >,
    { ...ctx, warmupSeconds: ctx.smoke ? 1 : 2 * ctx.seconds },
  );
  for (const c of [member, plain, baseMember]) await c?.stop();
  const cpuMs = { member: ms3(medianOf(cpu.member)), plain: ms3(medianOf(cpu.plain)), ...(baseMember ? { base: ms3(medianOf(cpu.base)) } : {}) };
  const result = {
    member: strip(r.member),
    plainPg: strip(r.plain),
    ratio: round(r.member.rps / r.plain.rps),
    cpuMsPerRequest: cpuMs,
    cpuRatio: round(cpuMs.plain / cpuMs.member),
    ...(baseMember ? { baseMember: strip(r.base), baseRatio: round(r.base.rps / r.plain.rps), baseCpuRatio: round(cpuMs.plain / cpuMs.base!) } : {}),
  };
  ctx.log(
    `8. member ${result.member.rps} req/s, plain pg ${result.plainPg.rps} req/s: member/plain = ${result.ratio}${result.baseMember ? ` (base member ${result.baseMember.rps} req/s: ${result.baseRatio})` : ''}; CPU per request member ${cpuMs.member} ms, plain ${cpuMs.plain} ms${cpuMs.base !== undefined ? `, base member ${cpuMs.base} ms` : ''}: plain/member = ${result.cpuRatio}${result.baseCpuRatio !== undefined ? ` (base ${result.baseCpuRatio})` : ''}`,
  );
  return result;
}

interface Keys {
  gateway: PrivateJwk;
  gatewayKeyFile: string;
  members: Record<string, PrivateJwk>;
}

async function makeKeys(ctx: BenchContext, memberIds: string[]): Promise<Keys> {
  const gateway = (await createKeyPair()).privateJwk;
  const gatewayKeyFile = join(ctx.dir, 'gateway-key.json');
  writeFileSync(gatewayKeyFile, JSON.stringify(gateway), { mode: 0o600 });
  const members: Record<string, PrivateJwk> = {};
  for (const id of memberIds) members[id] = (await createKeyPair()).privateJwk;
  return { gateway, gatewayKeyFile, members };
}

function writeRegistry(file: string, keys: Keys, members: { id: string; url: string }[]): string {
  writeFileSync(
    file,
    stringify({
      network: { id: 'bench', name: 'Bench' },
      members: members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url, keys: keys.members[m.id] ? [publicPart(keys.members[m.id])] : [] })),
      gateways: [{ id: 'gateway', keys: [publicPart(keys.gateway)] }],
    }),
  );
  return file;
}

/** The four demo members, each in its own process, and a signing gateway, all from one build. */
async function demoNetwork(ctx: BenchContext, name: string, keys: Keys, schemas: Record<string, string>, root?: string): Promise<Child<{ url: string }> & { pids: number[] }> {
  const ids = Object.keys(schemas);
  const registryFile = writeRegistry(
    join(ctx.dir, `auth-${name}.yaml`),
    keys,
    ids.map((id) => ({ id, url: 'http://127.0.0.1:9/graphql' })),
  );
  const children = await Promise.all(
    ids.map(async (id) =>
      ctx.track(await startChild<{ url: string }>('member-process', { root, memberId: id, databaseUrl: ctx.databaseUrl, schema: schemas[id], registryFile, poolMax: 2 }, 120_000, ctx.nodeArgs)),
    ),
  );
  writeRegistry(
    registryFile,
    keys,
    ids.map((id, i) => ({ id, url: children[i].ready.url })),
  );
  const gateway = ctx.track(
    await startChild<{ url: string }>(
      script('gateway-process', root),
      { registryFile, signingKeyFile: keys.gatewayKeyFile, responseCacheTtlSeconds: 0, healthIntervalMs: 600_000 },
      60_000,
      ctx.nodeArgs,
    ),
  );
  return Object.assign(gateway, { pids: [gateway.pid, ...children.map((c) => c.pid)] });
}

/**
 * 9. Authenticated fan-out over the four demo members (separate processes, real PostgreSQL):
 * this build against the base build, side by side.
 */
export async function authenticatedFanout(ctx: BenchContext) {
  if (!ctx.baseRoot) {
    ctx.log('9. authenticated fan-out vs base: skipped (no --base checkout)');
    return undefined;
  }
  const roster = (parseYaml(readFileSync(join(DEMO, 'members.yaml'), 'utf8')) as { id: string }[]).map((m) => m.id);
  const schemas: Record<string, string> = {};
  for (const id of roster) schemas[id] = await seedDemoMember(ctx, id);
  const keys = await makeKeys(ctx, roster);
  const ours = await demoNetwork(ctx, 'ours', keys, schemas);
  const base = await demoNetwork(ctx, 'base', keys, schemas, ctx.baseRoot);
  const token = await issueCallerToken({ key: keys.members[roster[0]], member: roster[0], subject: 'bench', scopes: ['read'], audience: 'bench', ttlSeconds: 3600 });
  const opts = { seconds: ctx.seconds, connections: ctx.connections, headers: { authorization: `Bearer ${token}` } };
  const probe = await fetch(ours.ready.url, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify({ query: SERVICES }) });
  const body = (await probe.json()) as { data?: { services?: unknown[] }; errors?: unknown[] };
  if (probe.status !== 200 || body.errors || !body.data?.services?.length) throw new Error(`authenticated fan-out probe failed: ${probe.status} ${JSON.stringify(body).slice(0, 300)}`);
  const cpu: Record<'ours' | 'base', number[]> = { ours: [], base: [] };
  const target = (name: 'ours' | 'base', net: typeof ours) =>
    withCpu(
      () => net.pids,
      (s) => load(net.ready.url, SERVICES, { ...opts, seconds: s }),
      cpu[name],
      ctx.seconds,
    );
  const r = await alternate({ ours: target('ours', ours), base: target('base', base) }, ctx);
  // a refused request (a spent rate budget, a shed one) is answered at once: it would pass for speed
  const failed = (runs: LoadResult[]) => runs.reduce((n, run) => n + run.errors + run.non2xx, 0);
  const failures = { ours: failed(r.ours.runs), base: failed(r.base.runs) };
  if (failures.ours + failures.base > 0) throw new Error(`9. authenticated fan-out: failed requests in the measured rounds (ours ${failures.ours}, base ${failures.base}): figures not valid`);
  const cpuMs = { ours: ms3(medianOf(cpu.ours)), base: ms3(medianOf(cpu.base)) };
  const result = {
    members: roster.length,
    services: body.data.services.length,
    ours: strip(r.ours),
    base: strip(r.base),
    ratio: round(r.ours.rps / r.base.rps),
    cpuMsPerRequest: cpuMs,
    cpuRatio: round(cpuMs.base / cpuMs.ours),
  };
  ctx.log(
    `9. authenticated fan-out, ${roster.length} member processes: ours ${result.ours.rps} req/s, base ${result.base.rps} req/s: ours/base = ${result.ratio}; CPU per request (gateway + members) ours ${cpuMs.ours} ms, base ${cpuMs.base} ms: base/ours = ${result.cpuRatio}`,
  );
  return result;
}

/**
 * 10. Gateway CPU per member call: simulated members (one process, cheap fixed answers, 5 ms), one
 * call per request (no in-flight sharing), assertions signed; this build, and the base build if given.
 */
export async function gatewayCpuPerMemberCall(ctx: BenchContext) {
  const n = ctx.smoke ? 50 : 500;
  const sim = ctx.track(
    await startChild<{ members: { id: string; url: string }[] }>('../simulate/sim-members', { count: n, seed: 42, medianLatencyMs: 5, failureRate: 0, servicesPerMember: 5 }, 120_000),
  );
  const keys = await makeKeys(ctx, []);
  const registryFile = writeRegistry(join(ctx.dir, 'cpu.yaml'), keys, sim.ready.members);
  const settings = {
    registryFile,
    signingKeyFile: keys.gatewayKeyFile,
    responseCacheTtlSeconds: 0,
    maxFanoutCost: 100_000,
    memberDeadlineMs: 2000,
    requestBudgetMs: 4000,
    breakerFailures: 1_000_000,
    healthIntervalMs: 600_000,
    dedupeRequests: false,
  };
  // admission sized for two requests of n member calls each, for every build that has admission
  // control (417a281 has none, and its settings refuse the names): with its defaults, a build
  // would shed calls and count cheaper, partial requests
  const admission = { maxMemberCalls: 4 * n, admissionQueue: 4 * n };
  // each build's gateway runs as that build ships it (its young generation), unless the
  // NODE_OPTIONS this script runs under chose a semi-space for all of them
  const launch: Record<string, Record<string, string>> = { ours: shippedLaunch() };
  const builds: Record<string, Child<{ url: string }>> = { ours: ctx.track(await startChild<{ url: string }>('gateway-process', { ...settings, ...admission }, 60_000, ctx.nodeArgs, launch.ours)) };
  if (ctx.baseRoot) {
    const baseSettings = hasAdmission(ctx.baseRoot) ? { ...settings, ...admission } : settings;
    launch.base = shippedLaunch(ctx.baseRoot);
    builds.base = ctx.track(await startChild<{ url: string }>(script('gateway-process', ctx.baseRoot), baseSettings, 60_000, ctx.nodeArgs, launch.base));
  }
  const nodeOptions = Object.fromEntries(Object.keys(launch).map((k) => [k, launch[k].NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '']));
  // A fixed number of requests, 2 at a time, all finished inside the measurement: the gateway's
  // CPU time over them, divided by the member calls they made.
  const requests = ctx.smoke ? 4 : 30;
  const cpuPerCall: Record<string, number[]> = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
  const incomplete: Record<string, number> = {};
  const measureOnce = async (name: string, g: Child<{ url: string }>, count: number) => {
    const before = cpuSeconds(g.pid);
    let failed = 0;
    const worker = async (share: number) => {
      for (let i = 0; i < share; i++) {
        const res = await fetch(g.ready.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ services { id name } }' }) });
        const body = (await res.json()) as { data?: { services?: unknown[] }; errors?: unknown[] };
        if (res.status !== 200 || body.errors || body.data?.services?.length !== n * 5) failed++;
      }
    };
    await Promise.all([worker(Math.ceil(count / 2)), worker(Math.floor(count / 2))]);
    // on a loaded machine a simulated member can miss its deadline: the request still cost the
    // gateway its member calls, so it counts, and the run says how many were partial
    incomplete[name] = (incomplete[name] ?? 0) + failed;
    if (failed === count) throw new Error(`gateway CPU benchmark: every request to ${name} was incomplete`);
    return ((cpuSeconds(g.pid) - before) * 1000) / (count * n);
  };
  // the floor, in the same alternation: a bare undici client making the same calls (its own process)
  const floor = async () => {
    const client = await startChild<{ cpuMsPerCall: number; failed: number }>('bare-fanout-client', { urls: sim.ready.members.map((m) => m.url), requests }, 120_000);
    await client.stop();
    return client.ready.cpuMsPerCall;
  };
  const floorPerCall: number[] = [];
  for (const [name, g] of Object.entries(builds)) await measureOnce(name, g, Math.max(2, requests / 4)); // warm-up
  for (let i = 0; i < ctx.rounds; i++) {
    for (const [name, g] of Object.entries(builds)) cpuPerCall[name].push(await measureOnce(name, g, requests));
    floorPerCall.push(await floor());
  }
  const ms = Object.fromEntries(Object.keys(builds).map((k) => [k, Math.round(medianOf(cpuPerCall[k]) * 1000) / 1000]));
  const floorMs = ms3(medianOf(floorPerCall));
  const peakRssMb = Object.fromEntries(Object.entries(builds).map(([k, g]) => [k, g.peakRssMb()]));
  const result = {
    members: n,
    requests,
    cpuMsPerMemberCall: ms,
    rounds: cpuPerCall,
    incomplete,
    ratio: ms.base ? round(ms.base / ms.ours) : undefined,
    floorMsPerCall: floorMs,
    nodeOptions,
    peakRssMb,
  };
  ctx.log(
    `10. gateway CPU per member call at ${n} simulated members, no sharing: ours ${ms.ours} ms${ms.base !== undefined ? `, base ${ms.base} ms (base/ours = ${result.ratio})` : ''}; a bare undici client making the same calls ${floorMs} ms${Object.values(incomplete).some(Boolean) ? `; partial answers (a member missed its deadline): ${JSON.stringify(incomplete)}` : ''}; gateways' NODE_OPTIONS ${JSON.stringify(nodeOptions)}, peak RSS ${JSON.stringify(peakRssMb)} MB`,
  );
  for (const g of Object.values(builds)) await g.stop();
  await sim.stop();
  return result;
}
