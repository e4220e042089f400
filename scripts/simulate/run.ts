import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startChild } from '../bench/child';
import { load } from '../bench/load';
import { lineChart } from './plot';

/**
 * `npm run simulate`: the fan-out at N = 20, 100 and 500 simulated members (seeded latency and
 * failures), against one real gateway process. Measures p50/p99 latency, gateway CPU per request,
 * peak memory and open sockets, and renders the plots to bench-results/ (SVG).
 * Flags: --sizes 20,100,500  --seconds 10  --connections 10  --median-ms 20  --failure-rate 0.01  --seed 42
 */
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = flag('sizes', '20,100,500').split(',').map(Number);
const seconds = Number(flag('seconds', '10'));
const connections = Number(flag('connections', '10'));
const medianLatencyMs = Number(flag('median-ms', '20'));
const failureRate = Number(flag('failure-rate', '0.01'));
const seed = Number(flag('seed', '42'));
/** `--no-sharing`: one member call per request, as for authenticated callers (no in-flight sharing). */
const sharing = !process.argv.includes('--no-sharing');
const out = sharing ? 'simulation' : 'simulation-no-sharing';

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
}

function openSockets(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'infrared-sim-'));
  const rows: { n: number; p50: number; p99: number; rps: number; cpuMsPerRequest: number; peakRssMb: number; sockets: number; errorRate: number }[] = [];
  process.stdout.write(
    `simulate${sharing ? '' : ' (no in-flight sharing)'}: ${cpus().length} cores, node ${process.version}, sizes ${sizes.join(', ')}, ${seconds} s each, median member latency ${medianLatencyMs} ms, failure rate ${failureRate}, seed ${seed}\n`,
  );
  for (const n of sizes) {
    const sim = await startChild<{ members: { id: string; url: string }[] }>('../simulate/sim-members', { count: n, seed, medianLatencyMs, failureRate, servicesPerMember: 5 }, 120_000);
    const registryFile = join(dir, `sim-${n}.yaml`);
    writeFileSync(registryFile, stringify({ network: { id: 'sim', name: 'Simulation' }, members: sim.ready.members.map((m) => ({ id: m.id, name: m.id, region: 'Sim', url: m.url })), gateways: [] }));
    const gateway = await startChild<{ url: string }>('gateway-process', {
      registryFile,
      responseCacheTtlSeconds: 0,
      maxFanoutCost: 100_000,
      memberDeadlineMs: 1000,
      requestBudgetMs: 2000,
      breakerFailures: 1_000_000,
      healthIntervalMs: 600_000,
      dedupeRequests: sharing,
    });
    try {
      await load(gateway.ready.url, '{ services { id name } }', { seconds: 2, connections });
      const cpuBefore = cpuSeconds(gateway.pid);
      const result = await load(gateway.ready.url, '{ services { id name } }', { seconds, connections });
      const cpu = cpuSeconds(gateway.pid) - cpuBefore;
      const requests = result.rps * seconds;
      rows.push({
        n,
        p50: result.p50,
        p99: result.p99,
        rps: Math.round(result.rps),
        cpuMsPerRequest: Math.round((cpu / Math.max(1, requests)) * 1000 * 100) / 100,
        peakRssMb: gateway.peakRssMb(),
        sockets: openSockets(gateway.pid),
        errorRate: Math.round(((result.errors + result.non2xx) / Math.max(1, requests)) * 1000) / 1000,
      });
      process.stdout.write(`N=${n}: ${JSON.stringify(rows[rows.length - 1])}\n`);
    } finally {
      await gateway.stop();
      await sim.stop();
    }
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    `bench-results/${out}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, node: process.version, seconds, connections, medianLatencyMs, failureRate, seed, sharing, rows }, null, 2)}\n`,
  );
  writeFileSync(
    `bench-results/${out}-latency.svg`,
    lineChart({
      title: 'Fan-out latency against network size',
      xLabel: 'members (N)',
      yLabel: 'latency (ms)',
      series: [
        { name: 'p50', color: '#7a1f3d', points: rows.map((r) => [r.n, r.p50]) },
        { name: 'p99', color: '#d1495b', points: rows.map((r) => [r.n, r.p99]) },
      ],
    }),
  );
  writeFileSync(
    `bench-results/${out}-cost.svg`,
    lineChart({
      title: 'Gateway cost per request against network size',
      xLabel: 'members (N)',
      yLabel: 'CPU ms per request',
      series: [{ name: 'CPU ms / request', color: '#00798c', points: rows.map((r) => [r.n, r.cpuMsPerRequest]) }],
    }),
  );
  const table = [
    '| N | p50 ms | p99 ms | req/s | gateway CPU ms/request | gateway peak RSS MB | open sockets | error rate |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.n} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.cpuMsPerRequest} | ${r.peakRssMb} | ${r.sockets} | ${r.errorRate} |`),
  ].join('\n');
  writeFileSync(`bench-results/${out}.md`, `${table}\n`);
  process.stdout.write(`\n${table}\n\nwrote bench-results/${out}.{json,md} and ${out}-{latency,cost}.svg\n`);
}

main().catch((err) => {
  process.stderr.write(`simulate failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
