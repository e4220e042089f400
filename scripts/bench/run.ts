import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { stringify } from 'yaml';
import { createLogger } from '../../common/logger';
import { memberSdlPath } from '../../schema/paths';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { startChild, type Child } from './child';
import { alternate, load, measure, paced, type LoadResult } from './load';
import { benchAggregates } from './aggregates';
import { benchLiveFeed, liveFeedRows } from './live-feed';
import { benchPagination } from './pagination';
import { authenticatedFanout, gatewayCpuPerMemberCall, medianOf, memberVsPlainPg, ms3, round, script, strip, withCpu, type BenchContext } from './comparisons';
import { provenVsAsserted } from './proven-callers';

/**
 * `npm run bench`: the performance suite, on loopback only. Every comparison is measured side by
 * side in one run; each figure is the median of `rounds` runs after a warm-up. Writes
 * bench-results/summary.json and summary.md. `--smoke` runs a few seconds, to keep the harness
 * working in CI (its figures mean nothing). `--base <dir>`: a built checkout of another commit
 * (`git worktree add <dir> <commit>`, `npm ci`, `npx tsc -p .` there) to compare this build with.
 */
const smoke = process.argv.includes('--smoke');
/** `--profile`: gateway and member processes write V8 CPU profiles to bench-results/profiles/ (open in Chrome DevTools). */
const profileArgs = process.argv.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir=bench-results/profiles'] : [];
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', smoke ? 1 : 5);
const rounds = arg('rounds', smoke ? 1 : 3);
const connections = arg('connections', 10);
/** `--only 8,9`: run only these items (for working on one figure; the README table needs a full run). */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',').map(Number) : undefined;
const want = (...items: number[]) => !only || items.some((i) => only.includes(i));
const baseRoot = process.argv.includes('--base') ? process.argv[process.argv.indexOf('--base') + 1] : undefined;
const log = (line: string) => process.stdout.write(`${line}\n`);
const QUERY = '{ services { id name } }';
/** Requests per second offered in the fan-out latency comparison (item 2). */
const FANOUT_RATE = 20;

type Farm = Child<{ members: { id: string; url: string }[]; control: string }>;
type Url = Child<{ url: string }>;

async function main(): Promise<void> {
  const started = Date.now();
  const logger = createLogger('bench', 'error');
  const dir = mkdtempSync(join(tmpdir(), 'infrared-bench-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const prefix = `bench${Date.now().toString(36)}`;
  const results: Record<string, unknown> = {};
  const children: { stop(): Promise<void> }[] = [];
  const opts = { seconds, connections, rounds };

  const farm = async (name: string, members: { id: string; services: number; latencyMs?: number; hang?: boolean }[], poolMax = 4, countSql = true): Promise<Farm> => {
    const f = await startChild<Farm['ready']>('member-farm', { databaseUrl, schemaPrefix: `${prefix}_${name}`, members, poolMax, countSql }, 180_000);
    children.push(f);
    return f;
  };
  const registry = (file: string, members: { id: string; url: string }[]) => {
    writeFileSync(file, stringify({ network: { id: 'bench', name: 'Bench' }, members: members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    return file;
  };
  const gateway = async (registryFile: string, settings: Record<string, unknown> = {}, root?: string): Promise<Url> => {
    const g = await startChild<{ url: string }>(script('gateway-process', root), { registryFile, responseCacheTtlSeconds: 0, ...settings }, 60_000, profileArgs);
    children.push(g);
    return g;
  };
  const track = <T extends { stop(): Promise<void> }>(child: T): T => {
    children.push(child);
    return child;
  };
  const stopAll = async () => {
    for (const c of children.splice(0).reverse()) await c.stop();
  };
  const ctx: BenchContext = {
    databaseUrl,
    prefix,
    dir,
    seconds,
    rounds,
    connections,
    smoke,
    logger,
    baseRoot,
    log,
    nodeArgs: profileArgs,
    track: (child) => {
      children.push(child);
      return child;
    },
  };

  try {
    log(`bench: ${cpus().length} cores, node ${process.version}, ${rounds} round(s) of ${seconds} s, ${connections} connections${smoke ? ' (smoke)' : ''}`);
    // 1, 5, 6: one member, no added latency; every target running at once, measured in alternation
    if (want(1, 5, 6)) {
      const one = await farm('one', [{ id: 'solo', services: 10 }]);
      const oneRegistry = registry(join(dir, 'one.yaml'), one.ready.members);
      const gw = await gateway(oneRegistry);
      const plain = await gateway(oneRegistry, { dedupeRequests: false });
      const cached = await gateway(oneRegistry, { responseCacheTtlSeconds: 60 });
      const supergraph = composeServices([{ name: 'members', url: one.ready.members[0].url, typeDefs: parse(readFileSync(memberSdlPath(), 'utf8')) }]);
      if (supergraph.errors) throw new Error(supergraph.errors.map((e) => e.message).join('; '));
      const hive = await startChild<{ url: string }>('hive-process', { supergraph: supergraph.supergraphSdl });
      children.push(hive);
      // 6's ceiling: a bare server writing the cached gateway's exact answer bytes
      const answer = await fetch(cached.ready.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
      const ceiling = await startChild<{ url: string }>('static-answer', { body: await answer.text(), contentType: answer.headers.get('content-type') ?? undefined });
      children.push(ceiling);
      const run = (url: string) => (s: number) => load(url, QUERY, { seconds: s, connections });
      // 6 in CPU time too: what serving a request costs the processes that serve it (a miss: the
      // gateway and the member process; PostgreSQL not counted), which the load generator's share
      // of the 2 cores does not cap
      const cpu = { hit: [] as number[], miss: [] as number[], missNoSharing: [] as number[], ceiling: [] as number[] };
      const memberPid = one.pid;
      const r = await alternate(
        {
          direct: run(one.ready.members[0].url),
          gateway: withCpu(() => [gw.pid, memberPid], run(gw.ready.url), cpu.miss, seconds),
          noSharing: withCpu(() => [plain.pid, memberPid], run(plain.ready.url), cpu.missNoSharing, seconds),
          hive: run(hive.ready.url),
          cached: withCpu(() => [cached.pid], run(cached.ready.url), cpu.hit, seconds),
          ceiling: withCpu(() => [ceiling.pid], run(ceiling.ready.url), cpu.ceiling, seconds),
        },
        { seconds, rounds },
      );
      results.directVsGateway = {
        direct: strip(r.direct),
        gateway: strip(r.gateway),
        ratio: round(r.gateway.rps / r.direct.rps),
        gatewayNoDedupe: strip(r.noSharing),
        ratioNoDedupe: round(r.noSharing.rps / r.direct.rps),
      };
      log(
        `1. direct ${r.direct.rps.toFixed(0)} req/s, gateway ${r.gateway.rps.toFixed(0)} req/s (${r.noSharing.rps.toFixed(0)} without in-flight sharing): gateway/direct = ${round(r.gateway.rps / r.direct.rps)} (${round(r.noSharing.rps / r.direct.rps)})`,
      );
      results.hive = { hive: strip(r.hive), ours: strip(r.gateway), ratio: round(r.gateway.rps / r.hive.rps) };
      log(`5. ours ${r.gateway.rps.toFixed(0)} req/s, Hive Gateway ${r.hive.rps.toFixed(0)} req/s: ours/Hive = ${round(r.gateway.rps / r.hive.rps)}`);
      const cpuMs = { hit: ms3(medianOf(cpu.hit)), miss: ms3(medianOf(cpu.miss)), missNoSharing: ms3(medianOf(cpu.missNoSharing)), ceiling: ms3(medianOf(cpu.ceiling)) };
      results.cache = {
        on: strip(r.cached),
        off: strip(r.gateway),
        ratio: round(r.cached.rps / r.gateway.rps),
        offNoSharing: strip(r.noSharing),
        ratioNoSharing: round(r.cached.rps / r.noSharing.rps),
        ceiling: strip(r.ceiling),
        ceilingRatio: round(r.ceiling.rps / r.gateway.rps),
        cpuMsPerRequest: cpuMs,
        cpuRatio: round(cpuMs.miss / cpuMs.hit),
        cpuRatioNoSharing: round(cpuMs.missNoSharing / cpuMs.hit),
      };
      log(
        `6. cache on ${r.cached.rps.toFixed(0)} req/s, off ${r.gateway.rps.toFixed(0)} req/s: on/off = ${round(r.cached.rps / r.gateway.rps)} (${round(r.cached.rps / r.noSharing.rps)} against no sharing); ` +
          `a bare server writing the same bytes ${r.ceiling.rps.toFixed(0)} req/s, ${cpuMs.ceiling} ms CPU per request (ceiling/off = ${round(r.ceiling.rps / r.gateway.rps)}); ` +
          `CPU per request hit ${cpuMs.hit} ms, miss ${cpuMs.miss} ms (${cpuMs.missNoSharing} ms without sharing; gateway + member): miss/hit = ${round(cpuMs.miss / cpuMs.hit)} (${round(cpuMs.missNoSharing / cpuMs.hit)})`,
      );
      await stopAll();
    }

    // 2: fan-out latency over twenty members with 5 ms each; 3, 4: the same members in one farm, plus one that hangs
    const n = smoke ? 5 : 20;
    if (want(2)) {
      // Fan-out latency: every member in its own process (as in a real network), 5 ms each.
      // members without the SQL statement log (it would turn off their prepared reads and format a line per statement)
      const solos = await Promise.all(Array.from({ length: n }, (_, i) => farm(`solo${i}`, [{ id: `p${String(i).padStart(2, '0')}`, services: 10, latencyMs: 5 }], 1, false)));
      const separate = solos.map((f) => f.ready.members[0]);
      // The floor: the same layout without the GraphQL stack, a bare fan-out process and bare member
      // processes that answer each real member's own answer to QUERY (same bytes) after the same 5 ms.
      const answers = await Promise.all(
        separate.map(async (m) => (await fetch(m.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) })).text()),
      );
      const bareMembers = await Promise.all(answers.map(async (body) => track(await startChild<{ url: string }>('static-answer', { body, contentType: 'application/json', latencyMs: 5 }))));
      const bareSizes = [1, n];
      const bareGateways = Object.fromEntries(
        await Promise.all(
          bareSizes.map(async (size) => [`bare-${size}`, track(await startChild<{ url: string }>('bare-fanout', { members: bareMembers.slice(0, size).map((b) => b.ready.url) }))] as const),
        ),
      );
      const sizes = smoke ? [1, n] : [1, 5, 20];
      const fanGateways = Object.fromEntries(await Promise.all(sizes.map(async (size) => [String(size), await gateway(registry(join(dir, `fan-${size}.yaml`), separate.slice(0, size)))] as const)));
      // with --base: the base build's gateways over the same members (1 and N), in the same alternation
      const baseSizes = baseRoot ? [1, n] : [];
      const baseGateways = Object.fromEntries(
        await Promise.all(baseSizes.map(async (size) => [`base-${size}`, await gateway(registry(join(dir, `fan-base-${size}.yaml`), separate.slice(0, size)), {}, baseRoot)] as const)),
      );
      const fanout: Record<string, LoadResult> = Object.fromEntries(
        Object.entries(
          await alternate(
            // Latency at a fixed offered rate, below saturation: on a shared 2-core machine a closed loop
            // would measure how 20 member processes share the CPU, not what the fan-out adds. Evenly
            // paced (load.ts `paced`): autocannon's rate mode sends each second's requests in a burst.
            Object.fromEntries(
              Object.entries({ ...fanGateways, ...baseGateways, ...bareGateways }).map(([size, g]) => [size, (s: number) => paced(g.ready.url, QUERY, { seconds: s, connections, rate: FANOUT_RATE })]),
            ),
            { seconds, rounds },
          ),
        ).map(([size, r]) => [size, strip(r)]),
      );
      const rssAt20 = fanGateways[String(n)].peakRssMb();
      for (const g of [...Object.values(fanGateways), ...Object.values(baseGateways)]) await g.stop();
      for (const f of solos) await f.stop();
      const base = baseRoot ? { [1]: fanout['base-1'], [n]: fanout[`base-${n}`], p50ratio: round(fanout[`base-${n}`].p50 / fanout['base-1'].p50) } : undefined;
      const floor = { [1]: fanout['bare-1'], [n]: fanout[`bare-${n}`], p50ratio: round(fanout[`bare-${n}`].p50 / fanout['bare-1'].p50) };
      for (const key of [...Object.keys(baseGateways), ...Object.keys(bareGateways)]) delete fanout[key];
      const p50ratio = round(fanout[n].p50 / fanout[1].p50);
      results.fanout = { byMembers: fanout, p50ratio, gatewayPeakRssMb: rssAt20, separateProcesses: true, base, floor };
      log(
        `2. fan-out p50 (members in separate processes, ${FANOUT_RATE} req/s offered): ${Object.entries(fanout)
          .map(([k, v]) => `N=${k} ${v.p50} ms`)
          .join(
            ', ',
          )}; p50(N)/p50(1) = ${p50ratio}; gateway peak RSS ${rssAt20} MB${base ? `; base build: N=1 ${base[1].p50} ms, N=${n} ${base[n].p50} ms, p50(N)/p50(1) = ${base.p50ratio}` : ''}; floor (bare HTTP, same layout): N=1 ${floor[1].p50} ms, N=${n} ${floor[n].p50} ms, p50(N)/p50(1) = ${floor.p50ratio}`,
      );

      await stopAll();
    }
    if (want(3, 4)) {
      const many = await farm('many', [...Array.from({ length: n }, (_, i) => ({ id: `m${String(i).padStart(2, '0')}`, services: 10, latencyMs: 5 })), { id: 'zz-hung', services: 0, hang: true }], 1);
      const healthy = many.ready.members.filter((m) => m.id !== 'zz-hung');
      const withHung = registry(join(dir, 'hung.yaml'), [...healthy.slice(0, 5), many.ready.members.find((m) => m.id === 'zz-hung')!]);
      const healthy5 = await gateway(registry(join(dir, 'healthy5.yaml'), healthy.slice(0, 5)));
      const baseline = await measure(healthy5.ready.url, QUERY, opts);
      await healthy5.stop();
      const noBreaker = await gateway(withHung, { memberDeadlineMs: 300, breakerFailures: 1_000_000 });
      const closed = await measure(noBreaker.ready.url, QUERY, opts);
      await noBreaker.stop();
      const breaker = await gateway(withHung, { memberDeadlineMs: 300, breakerFailures: 3, breakerHalfOpenMs: 600_000 });
      const open = await measure(breaker.ready.url, QUERY, opts);
      await breaker.stop();
      results.hung = { healthy: strip(baseline), breakerClosed: strip(closed), breakerOpen: strip(open), deadlineMs: 300, openP50overHealthy: round(open.p50 / baseline.p50) };
      log(`3. one member hung (deadline 300 ms): p99 with the breaker closed ${closed.p99} ms; p50 once open ${open.p50} ms vs healthy ${baseline.p50} ms = ${round(open.p50 / baseline.p50)}x`);

      const sqlSmall = await sqlPerRequest(many, healthy, registry(join(dir, 'sql-small.yaml'), healthy), gateway);
      await stopAll();
      const bigFarm = await farm(
        'big',
        Array.from({ length: n }, (_, i) => ({ id: `m${String(i).padStart(2, '0')}`, services: 100 })),
        1,
      );
      const sqlBig = await sqlPerRequest(bigFarm, bigFarm.ready.members, registry(join(dir, 'sql-big.yaml'), bigFarm.ready.members), gateway);
      results.sqlPerMember = { services10: sqlSmall, services100: sqlBig, constant: sqlSmall === sqlBig };
      log(`4. SQL statements per member per request for members { services { capacity } }: ${sqlSmall} with 10 services, ${sqlBig} with 100`);
      await stopAll();
    }

    // 7: supportMatches over 20 members × 1,000 offers and needs (answer check + index + match, in-process)
    if (want(7)) {
      const aggregates = await benchAggregates(smoke ? 4 : 20, smoke ? 100 : 1000);
      results.supportMatches = aggregates;
      log(
        `7. supportMatches, ${aggregates.full.members} members × ${aggregates.full.items} offers and needs: ${aggregates.full.ms} ms, longest slice ${aggregates.full.longestSliceCpuMs} ms CPU; pairing everything at ${aggregates.quarter.members} members: ${aggregates.quarter.pairEverythingMs} ms in one slice`,
      );
    }

    if (want(8)) results.memberVsPlainPg = await memberVsPlainPg(ctx);
    await stopAll();
    if (want(9)) results.authenticatedFanout = await authenticatedFanout(ctx);
    await stopAll();
    if (want(10)) results.gatewayCpu = await gatewayCpuPerMemberCall(ctx);
    await stopAll();
    if (want(11)) results.provenCallers = await provenVsAsserted(ctx);
    await stopAll();
    if (want(12)) results.pagination = await benchPagination(ctx);
    // 13: live subscriptions over SSE (latency, shared upstream feed, memory, restart)
    if (want(13)) {
      results.liveFeed = await benchLiveFeed({
        databaseUrl,
        prefix,
        members: smoke ? 4 : 20,
        subscribers: smoke ? 20 : 1000,
        seconds: smoke ? 3 : Math.max(20, seconds * 4),
        rounds,
        changesPerSecond: 2,
        log,
      });
    }
  } finally {
    await stopAll();
    await embedded?.stop();
  }

  const summary = {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    smoke,
    seconds,
    rounds,
    connections,
    durationS: Math.round((Date.now() - started) / 1000),
    results,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync('bench-results/summary.md', markdown(summary));
  log(`\nwrote bench-results/summary.json and bench-results/summary.md (${summary.durationS} s)`);
}

async function sqlPerRequest(farm: Farm, members: { id: string; url: string }[], registryFile: string, gateway: (file: string) => Promise<Url>): Promise<number> {
  const g = await gateway(registryFile);
  const query = '{ members { id services { id capacity { id total } } } }';
  const post = () => fetch(g.ready.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.json());
  await post();
  await fetch(`${farm.ready.control}/sql/reset`);
  const requests = 5;
  for (let i = 0; i < requests; i++) await post();
  const counts = (await (await fetch(`${farm.ready.control}/sql`)).json()) as Record<string, number>;
  await g.stop();
  const asked = new Set(members.map((m) => m.id));
  return Math.max(
    ...Object.entries(counts)
      .filter(([id]) => asked.has(id))
      .map(([, c]) => c / requests),
  );
}

function markdown(s: { date: string; cores: number; node: string; smoke: boolean; rounds: number; seconds: number; connections: number; results: Record<string, any> }): string {
  const r = s.results;
  const rows: string[][] = [];
  const add = (present: unknown, make: () => string[][]) => {
    if (present) rows.push(...make());
  };
  add(r.directVsGateway, () => [
    ['1. gateway ÷ direct (1 member)', `${r.directVsGateway.gateway.rps} / ${r.directVsGateway.direct.rps} req/s`, `${r.directVsGateway.ratio}`, '≥ 0.5 (0.8 stretch)'],
    [
      '   without in-flight sharing (one member call per request)',
      `${r.directVsGateway.gatewayNoDedupe.rps} / ${r.directVsGateway.direct.rps} req/s`,
      `${r.directVsGateway.ratioNoDedupe}`,
      '≥ 0.5 (0.8 stretch)',
    ],
    [
      '   p50 / p99 direct · gateway · no sharing',
      `${r.directVsGateway.direct.p50}/${r.directVsGateway.direct.p99} ms · ${r.directVsGateway.gateway.p50}/${r.directVsGateway.gateway.p99} ms · ${r.directVsGateway.gatewayNoDedupe.p50}/${r.directVsGateway.gatewayNoDedupe.p99} ms`,
      '',
      '',
    ],
  ]);
  add(r.fanout, () => [
    [
      `2. fan-out p50(N) ÷ p50(1), 5 ms per member, one process each, ${FANOUT_RATE} req/s offered`,
      Object.entries(r.fanout.byMembers)
        .map(([k, v]: [string, any]) => `N=${k}: ${v.p50} ms`)
        .join(', '),
      `${r.fanout.p50ratio}`,
      '≤ 1.5',
    ],
    ...(r.fanout.base
      ? [
          [
            `   the base build, same members and run`,
            `N=1: ${r.fanout.base[1].p50} ms, N=${Object.keys(r.fanout.byMembers).at(-1)}: ${r.fanout.base[Object.keys(r.fanout.byMembers).at(-1)!].p50} ms`,
            `${r.fanout.base.p50ratio}`,
            '',
          ],
        ]
      : []),
    ...(r.fanout.floor
      ? [
          [
            `   the floor: bare undici fan-out to bare HTTP members (canned answer after 5 ms), same layout and run`,
            `N=1: ${r.fanout.floor[1].p50} ms, N=${Object.keys(r.fanout.byMembers).at(-1)}: ${r.fanout.floor[Object.keys(r.fanout.byMembers).at(-1)!].p50} ms`,
            `${r.fanout.floor.p50ratio}`,
            '',
          ],
        ]
      : []),
    ['   gateway peak RSS under load, 20 members', `${r.fanout.gatewayPeakRssMb} MB`, '', '≤ 300 MB'],
  ]);
  add(r.hung, () => [
    ['3. one member hung: p99, breaker closed', `${r.hung.breakerClosed.p99} ms (deadline ${r.hung.deadlineMs} ms)`, '', '≤ 1 deadline'],
    ['   p50 breaker open ÷ healthy p50', `${r.hung.breakerOpen.p50} / ${r.hung.healthy.p50} ms`, `${r.hung.openP50overHealthy}`, '≤ 1.2'],
  ]);
  add(r.sqlPerMember, () => [
    ['4. SQL per member per request (10 → 100 services)', `${r.sqlPerMember.services10} → ${r.sqlPerMember.services100}`, r.sqlPerMember.constant ? 'constant' : 'GROWS', 'constant'],
  ]);
  add(r.hive, () => [
    ['5. ours ÷ Hive Gateway (1 member)', `${r.hive.ours.rps} / ${r.hive.hive.rps} req/s`, `${r.hive.ratio}`, '≥ 1.0'],
    ['6. response cache on ÷ off (PUBLIC query)', `${r.cache.on.rps} / ${r.cache.off.rps} req/s`, `${r.cache.ratio}`, '≥ 20'],
    ...(r.cache.ceiling
      ? [
          ['   on ÷ off without in-flight sharing', `${r.cache.on.rps} / ${r.cache.offNoSharing.rps} req/s`, `${r.cache.ratioNoSharing}`, ''],
          [
            '   ceiling: a bare server writing the same bytes ÷ off',
            `${r.cache.ceiling.rps} / ${r.cache.off.rps} req/s (bare server CPU ${r.cache.cpuMsPerRequest.ceiling} ms per request)`,
            `${r.cache.ceilingRatio}`,
            '',
          ],
          [
            '   CPU per request, miss (gateway + member) ÷ hit',
            `${r.cache.cpuMsPerRequest.miss} / ${r.cache.cpuMsPerRequest.hit} ms (no sharing ${r.cache.cpuMsPerRequest.missNoSharing} ms: ${r.cache.cpuRatioNoSharing})`,
            `${r.cache.cpuRatio}`,
            '',
          ],
        ]
      : []),
  ]);
  add(r.supportMatches, () => [
    [
      '7. supportMatches, 20 members × 1,000 offers and needs',
      `${r.supportMatches.full.ms} ms; longest slice ${r.supportMatches.full.longestSliceCpuMs} ms CPU`,
      `vs ${r.supportMatches.quarter.pairEverythingMs} ms pairing all at ${r.supportMatches.quarter.members} members`,
      '< 1 s; slices of a few ms',
    ],
  ]);
  add(r.memberVsPlainPg, () => [
    [
      '8. member subgraph ÷ plain `pg` server (same SQL and JSON)',
      `${r.memberVsPlainPg.member.rps} / ${r.memberVsPlainPg.plainPg.rps} req/s${r.memberVsPlainPg.baseMember ? ` (base member ${r.memberVsPlainPg.baseMember.rps} req/s: ${r.memberVsPlainPg.baseRatio})` : ''}`,
      `${r.memberVsPlainPg.ratio}`,
      '≥ 0.4',
    ],
    [
      '   CPU per request: plain `pg` ÷ member (base member)',
      `${r.memberVsPlainPg.cpuMsPerRequest.plain} / ${r.memberVsPlainPg.cpuMsPerRequest.member} ms${r.memberVsPlainPg.cpuMsPerRequest.base !== undefined ? ` (${r.memberVsPlainPg.cpuMsPerRequest.plain} / ${r.memberVsPlainPg.cpuMsPerRequest.base} ms)` : ''}`,
      `${r.memberVsPlainPg.cpuRatio}${r.memberVsPlainPg.baseCpuRatio !== undefined ? ` (${r.memberVsPlainPg.baseCpuRatio})` : ''}`,
      '',
    ],
  ]);
  add('authenticatedFanout' in r, () => [
    [
      '9. authenticated fan-out, 4 member processes: this build ÷ base',
      r.authenticatedFanout ? `${r.authenticatedFanout.ours.rps} / ${r.authenticatedFanout.base.rps} req/s` : 'skipped (no --base)',
      r.authenticatedFanout ? `${r.authenticatedFanout.ratio}` : '',
      '≥ 3',
    ],
    ...(r.authenticatedFanout
      ? [
          [
            '   CPU per request, gateway + 4 members: base ÷ this build',
            `${r.authenticatedFanout.cpuMsPerRequest.base} / ${r.authenticatedFanout.cpuMsPerRequest.ours} ms`,
            `${r.authenticatedFanout.cpuRatio}`,
            '',
          ],
        ]
      : []),
  ]);
  add(r.gatewayCpu, () => [
    [
      `10. gateway CPU per member call, ${r.gatewayCpu.members} simulated members, no sharing`,
      `${r.gatewayCpu.cpuMsPerMemberCall.ours} ms${r.gatewayCpu.cpuMsPerMemberCall.base !== undefined ? ` (base ${r.gatewayCpu.cpuMsPerMemberCall.base} ms)` : ''}`,
      r.gatewayCpu.ratio !== undefined ? `base ÷ this = ${r.gatewayCpu.ratio}` : '',
      '≤ 0.1 ms',
    ],
    ...(r.gatewayCpu.floorMsPerCall !== undefined
      ? [
          [
            '    floor: a bare undici client making the same calls (same body, keep-alive, answers parsed)',
            `${r.gatewayCpu.floorMsPerCall} ms`,
            `this ÷ floor = ${round(r.gatewayCpu.cpuMsPerMemberCall.ours / r.gatewayCpu.floorMsPerCall)}`,
            '',
          ],
        ]
      : []),
  ]);
  add(r.provenCallers, () => [
    [
      '11. member throughput, proven ÷ asserted (same query, straight to the member)',
      `${r.provenCallers.proven.rps} / ${r.provenCallers.asserted.rps} req/s; CPU ${r.provenCallers.cpuMsPerRequest.proven} / ${r.provenCallers.cpuMsPerRequest.asserted} ms per request`,
      `${r.provenCallers.ratio}`,
      '≥ 0.8',
    ],
    ['   extra bytes per proven sub-request', `+${r.provenCallers.extraBytesPerSubRequest} (${r.provenCallers.subRequestBytes.asserted} → ${r.provenCallers.subRequestBytes.proven} bytes)`, '', ''],
  ]);
  add(r.pagination, () => {
    const p = r.pagination;
    return [
      [
        `12. servicesConnection(first: 50), ${p.members} members × ${p.servicesPerMember}: gateway CPU per page, page ${p.pageN} ÷ page 1`,
        `${p.gatewayCpuMsPerPage.pageN} / ${p.gatewayCpuMsPerPage.page1} ms`,
        `${p.cpuRatioPageNOverPage1}`,
        'constant',
      ],
      [`    gateway RSS after page-1 · page-${p.pageN} rounds; cursor bytes`, `${p.gatewayRssMb.page1} · ${p.gatewayRssMb.pageN} MB; ${p.cursorBytes.pageN} B`, '', 'constant'],
      [
        `    first page p50, ${p.members} ÷ ${p.fewMembers} members, without totalCount`,
        `${p.firstPage.withoutTotalCount.many.p50} / ${p.firstPage.withoutTotalCount.few.p50} ms`,
        `${p.firstPage.withoutTotalCount.p50ratio}`,
        '≤ 1.5',
      ],
      [
        '    with totalCount (every member asked for its count)',
        `${p.firstPage.withTotalCount.many.p50} / ${p.firstPage.withTotalCount.few.p50} ms`,
        `${p.firstPage.withTotalCount.p50ratio}`,
        '≤ 1.5',
      ],
    ];
  });
  add(r.liveFeed, () => liveFeedRows(r.liveFeed));
  return [
    `Benchmark run ${s.date}: ${s.cores} cores, Node ${s.node}, ${s.rounds} round(s) × ${s.seconds} s, ${s.connections} connections${s.smoke ? ' — SMOKE RUN, figures not meaningful' : ''}. Medians; ratios measured side by side in this run.`,
    '',
    '| scenario | figures | ratio | goal |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
