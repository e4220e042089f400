import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { stringify } from 'yaml';
import { createLogger } from '../common/logger';
import { startEmbeddedPostgres } from '../subgraphs/member/src/db/embedded';
import { startChild } from './bench/child';

/**
 * `node dist/scripts/load-and-fault.js [--seconds 60] [--clients 100]`: a bounded load-and-fault
 * run on loopback. 100 concurrent clients query the gateway for 60 s while two members (in their
 * own process) are frozen and thawed with SIGSTOP/SIGCONT, and a member is added to the registry
 * and later removed. Reports the error rate for healthy members (goal: 0), latency percentiles
 * and the gateway's peak RSS.
 */
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = flag('seconds', 60);
const clients = flag('clients', 100);

async function main(): Promise<void> {
  const logger = createLogger('load-and-fault', 'error');
  const dir = mkdtempSync(join(tmpdir(), 'infrared-fault-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const prefix = `fault${Date.now().toString(36)}`;
  type Farm = { members: { id: string; url: string }[]; control: string };
  const healthyFarm = await startChild<Farm>('member-farm', { databaseUrl, schemaPrefix: `${prefix}_h`, members: ['h1', 'h2', 'h3'].map((id) => ({ id, services: 10 })) }, 120_000);
  const frozenFarm = await startChild<Farm>('member-farm', { databaseUrl, schemaPrefix: `${prefix}_f`, members: ['f1', 'f2'].map((id) => ({ id, services: 10 })) }, 120_000);
  const extraFarm = await startChild<Farm>('member-farm', { databaseUrl, schemaPrefix: `${prefix}_x`, members: [{ id: 'x1', services: 10 }] }, 120_000);
  const healthy = new Set(healthyFarm.ready.members.map((m) => m.id));
  const registryFile = join(dir, 'network.yaml');
  const write = (members: { id: string; url: string }[]) =>
    writeFileSync(registryFile, stringify({ network: { id: 'fault', name: 'Fault' }, members: members.map((m) => ({ id: m.id, name: m.id, region: 'Test', url: m.url })), gateways: [] }));
  write([...healthyFarm.ready.members, ...frozenFarm.ready.members]);
  const gateway = await startChild<{ url: string }>('gateway-process', { registryFile, responseCacheTtlSeconds: 0, memberDeadlineMs: flag('deadline-ms', 2000), breakerHalfOpenMs: 2000, registryPollMs: 500 });

  const agent = new Agent({ connections: clients, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let requests = 0;
  let httpFailures = 0;
  let healthyErrors = 0;
  let unavailable = 0;
  const deadline = Date.now() + seconds * 1000;
  const body = JSON.stringify({ query: '{ services { id } }' });
  const client = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        const res = await request(gateway.ready.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', 'x-forwarded-for': 'load' }, body });
        const json = (await res.body.json()) as { errors?: { extensions?: { member?: string } }[] };
        if (res.statusCode !== 200) httpFailures++;
        for (const e of json.errors ?? []) {
          if (e.extensions?.member && healthy.has(e.extensions.member)) healthyErrors++;
          else unavailable++;
        }
      } catch {
        httpFailures++;
      }
      latencies.push(performance.now() - started);
      requests++;
    }
  };

  const events: string[] = [];
  const at = (fraction: number, what: string, action: () => void) =>
    setTimeout(() => {
      action();
      events.push(`${Math.round(fraction * seconds)} s: ${what}`);
    }, fraction * seconds * 1000);
  const timers = [
    at(0.15, 'freeze f1+f2 (SIGSTOP)', () => process.kill(frozenFarm.pid, 'SIGSTOP')),
    at(0.3, 'thaw (SIGCONT)', () => process.kill(frozenFarm.pid, 'SIGCONT')),
    at(0.4, 'add member x1 to the registry', () => write([...healthyFarm.ready.members, ...frozenFarm.ready.members, ...extraFarm.ready.members])),
    at(0.55, 'freeze f1+f2 again', () => process.kill(frozenFarm.pid, 'SIGSTOP')),
    at(0.7, 'thaw', () => process.kill(frozenFarm.pid, 'SIGCONT')),
    at(0.8, 'remove member x1 from the registry', () => write([...healthyFarm.ready.members, ...frozenFarm.ready.members])),
  ];
  process.stdout.write(`load-and-fault: ${cpus().length} cores, node ${process.version}, ${clients} clients for ${seconds} s\n`);
  await Promise.all(Array.from({ length: clients }, client));
  timers.forEach(clearTimeout);
  process.kill(frozenFarm.pid, 'SIGCONT');
  const peakRss = gateway.peakRssMb();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]);
  const report = {
    requests,
    rps: Math.round(requests / seconds),
    httpFailures,
    healthyMemberErrors: healthyErrors,
    healthyErrorRate: requests ? healthyErrors / requests : 0,
    reportedUnavailable: unavailable,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: Math.round(latencies[latencies.length - 1] ?? 0) },
    gatewayPeakRssMb: peakRss,
    events,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  await agent.close();
  for (const c of [gateway, extraFarm, frozenFarm, healthyFarm]) await c.stop();
  await embedded?.stop();
  process.exit(httpFailures === 0 && healthyErrors === 0 ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`load-and-fault failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
