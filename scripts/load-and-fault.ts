import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { stringify } from 'yaml';
import { issueCallerToken } from '../common/auth/caller-token';
import { createKeyPair, publicPart } from '../common/auth/keys';
import { createLogger } from '../common/logger';
import { startEmbeddedPostgres } from '../subgraphs/member/src/db/embedded';
import { startChild, type Child } from './bench/child';
import { endlessHealthMember } from './fault/endless-health';
import { freezableProxy } from './fault/freezable-proxy';
import { percentile, runLoad } from './fault/load';
import { startPrivateRedis } from './fault/private-redis';

/**
 * `node dist/scripts/load-and-fault.js [--seconds 30] [--clients 100] [--unique-seconds <seconds>]
 * [--only a,b] [--redis-port 5531]`: bounded load-and-fault scenarios on loopback, each against a
 * fresh gateway process:
 * - anonymous: anonymous clients while two members freeze (SIGSTOP) and thaw, and a member joins and leaves;
 * - authenticated: token holders (they never share member calls) while two members freeze;
 * - unique-texts: every request a new query text (new parse, validation and plan), with the RSS trend;
 * - hung-redis: the gateway's Redis (a private redis-server on its own port) frozen with SIGSTOP;
 * - hung-database: one member's database frozen (a TCP proxy in front of it stops moving bytes);
 * - endless-health: a member whose /health body never ends.
 * Prints per scenario: requests, answers that lost a healthy member's data (goal 0), 503 sheds,
 * p50/p99 and the gateway's peak RSS (goal under 400 MB).
 */
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seconds = flag('seconds', 30);
const clients = flag('clients', 100);
const uniqueSeconds = flag('unique-seconds', seconds);
const only = option('only')?.split(',');
const NETWORK_ID = 'fault';
const SERVICES = JSON.stringify({ query: '{ services { id name } }' });

type Farm = { members: { id: string; url: string }[]; control: string };
type Entry = { id: string; url: string; keys?: unknown[] };

interface Row {
  scenario: string;
  requests: number;
  rps: number;
  lostHealthy: number;
  shed503: number;
  rateLimited: number;
  failures: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  rssTrendMb?: number[];
  events: string[];
  lostWhy: Record<string, number>;
}

async function main(): Promise<void> {
  const logger = createLogger('load-and-fault', 'error');
  const dir = mkdtempSync(join(tmpdir(), 'infrared-fault-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const db = new URL(databaseUrl);
  const prefix = `fault${Date.now().toString(36)}`;
  const farm = (suffix: string, ids: string[], url = databaseUrl) =>
    startChild<Farm>('member-farm', { databaseUrl: url, schemaPrefix: `${prefix}_${suffix}`, members: ids.map((id) => ({ id, services: 10 })) }, 120_000);
  const healthyFarm = await farm('h', ['h1', 'h2', 'h3']);
  const frozenFarm = await farm('f', ['f1', 'f2']);
  const extraFarm = await farm('x', ['x1']);
  // one member's database behind a proxy that can freeze
  const dbProxy = await freezableProxy({ host: db.hostname, port: Number(db.port || 5432) });
  const proxiedUrl = new URL(databaseUrl);
  proxiedUrl.host = `127.0.0.1:${dbProxy.port}`;
  const dbFarm = await farm('d', ['d1'], proxiedUrl.toString());
  const endless = await endlessHealthMember();
  const redis = await startPrivateRedis(flag('redis-port', 5531));
  const healthy = healthyFarm.ready.members;
  const healthyIds = new Set(healthy.map((m) => m.id));

  // h1 issues the token holders' tokens
  const issuer = await createKeyPair();
  const withKeys = (members: Entry[]): Entry[] => members.map((m) => (m.id === 'h1' ? { ...m, keys: [publicPart(issuer.privateJwk)] } : m));
  const tokens = await Promise.all(
    Array.from({ length: clients }, (_, i) => issueCallerToken({ key: issuer.privateJwk, member: 'h1', subject: `load-${i}`, scopes: ['read'], audience: NETWORK_ID, ttlSeconds: 3600 })),
  );
  const registryFile = join(dir, 'network.yaml');
  const write = (members: Entry[]) =>
    writeFileSync(registryFile, stringify({ network: { id: NETWORK_ID, name: 'Fault' }, members: withKeys(members).map((m) => ({ name: m.id, region: 'Test', ...m })), gateways: [] }));

  const base = {
    registryFile,
    responseCacheTtlSeconds: 0,
    memberDeadlineMs: flag('deadline-ms', 2000),
    breakerHalfOpenMs: 2000,
    registryPollMs: 500,
    rateLimitPoints: 1_000_000_000,
    issuerRateLimitPoints: 1_000_000_000,
  };
  const rows: Row[] = [];
  const agent = new Agent({ connections: clients, keepAliveTimeout: 30_000 });

  const scenario = async (
    name: string,
    setup: {
      members: Entry[];
      settings?: Record<string, unknown>;
      duration?: number;
      authenticated?: boolean;
      body?: (c: number, n: number) => string;
      events?: [number, string, () => void][];
      cleanup?: () => void;
    },
  ) => {
    if (only && !only.includes(name)) return;
    write(setup.members);
    const duration = setup.duration ?? seconds;
    const gateway: Child<{ url: string }> = await startChild('gateway-process', { ...base, ...setup.settings });
    const rssOf = () => {
      try {
        return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
      } catch {
        return 0;
      }
    };
    const trend: number[] = [];
    const sampler = setInterval(() => trend.push(rssOf()), Math.max(1000, (duration * 1000) / 10));
    const events: string[] = [];
    const timers = (setup.events ?? []).map(([fraction, what, action]) =>
      setTimeout(
        () => {
          action();
          events.push(`${Math.round(fraction * duration)} s: ${what}`);
        },
        fraction * duration * 1000,
      ),
    );
    const stats = await runLoad({
      url: gateway.ready.url,
      agent,
      clients,
      seconds: duration,
      healthy: healthyIds,
      body: setup.body ?? (() => SERVICES),
      headers: setup.authenticated ? (c) => ({ authorization: `Bearer ${tokens[c]}` }) : () => ({ 'x-forwarded-for': 'load' }),
    });
    timers.forEach(clearTimeout);
    clearInterval(sampler);
    setup.cleanup?.();
    trend.push(rssOf());
    const sorted = stats.latenciesMs.sort((a, b) => a - b);
    rows.push({
      scenario: name,
      requests: stats.requests,
      rps: Math.round(stats.requests / duration),
      lostHealthy: stats.lostHealthy,
      shed503: stats.shed,
      rateLimited: stats.rateLimited,
      failures: stats.failures,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      peakRssMb: gateway.peakRssMb(),
      rssTrendMb: name === 'unique-texts' ? trend : undefined,
      events,
      lostWhy: stats.lostWhy,
    });
    await gateway.stop();
    process.stdout.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
  };

  const stop = (pid: number) => () => process.kill(pid, 'SIGSTOP');
  const cont = (pid: number) => () => process.kill(pid, 'SIGCONT');
  const frozen = frozenFarm.ready.members;
  process.stdout.write(`load-and-fault: ${cpus().length} cores, node ${process.version}, ${clients} clients, ${seconds} s per scenario\n`);

  await scenario('anonymous', {
    members: [...healthy, ...frozen],
    events: [
      [0.15, 'freeze f1+f2 (SIGSTOP)', stop(frozenFarm.pid)],
      [0.3, 'thaw (SIGCONT)', cont(frozenFarm.pid)],
      [0.4, 'add member x1 to the registry', () => write([...healthy, ...frozen, ...extraFarm.ready.members])],
      [0.55, 'freeze f1+f2 again', stop(frozenFarm.pid)],
      [0.7, 'thaw', cont(frozenFarm.pid)],
      [0.8, 'remove member x1 from the registry', () => write([...healthy, ...frozen])],
    ],
    cleanup: cont(frozenFarm.pid),
  });
  await scenario('authenticated', {
    members: [...healthy, ...frozen],
    authenticated: true,
    events: [
      [0.3, 'freeze f1+f2 (SIGSTOP)', stop(frozenFarm.pid)],
      [0.6, 'thaw (SIGCONT)', cont(frozenFarm.pid)],
    ],
    cleanup: cont(frozenFarm.pid),
  });
  await scenario('unique-texts', {
    members: healthy,
    duration: uniqueSeconds,
    body: (c, n) => JSON.stringify({ query: `query Unique${c}x${n} { services { id u${n}: name } }` }),
  });
  await scenario('hung-redis', {
    members: healthy,
    settings: { redisUrl: redis.url, responseCacheTtlSeconds: 10 },
    authenticated: true,
    events: [
      [0.2, 'freeze Redis (SIGSTOP)', stop(redis.pid)],
      [0.7, 'thaw Redis (SIGCONT)', cont(redis.pid)],
    ],
    cleanup: cont(redis.pid),
  });
  await scenario('hung-database', {
    members: [...healthy, ...dbFarm.ready.members],
    authenticated: true,
    events: [
      [0.2, "freeze d1's database (proxy stops)", () => dbProxy.freeze()],
      [0.7, 'thaw', () => dbProxy.thaw()],
    ],
    cleanup: () => dbProxy.thaw(),
  });
  await scenario('endless-health', {
    members: [...healthy, { id: 'e1', url: endless.url }],
    settings: { healthIntervalMs: 1000 },
  });

  process.stdout.write(
    '\n| scenario | requests | req/s | 200s missing a healthy member | 503 shed | 429 | other failures | p50 ms | p99 ms | gateway peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows)
    process.stdout.write(`| ${r.scenario} | ${r.requests} | ${r.rps} | ${r.lostHealthy} | ${r.shed503} | ${r.rateLimited} | ${r.failures} | ${r.p50} | ${r.p99} | ${r.peakRssMb} |\n`);
  const unique = rows.find((r) => r.scenario === 'unique-texts');
  if (unique) process.stdout.write(`\nunique-texts RSS trend (MB, ${uniqueSeconds} s): ${unique.rssTrendMb!.join(' → ')}\n`);

  await agent.close();
  await redis.stop();
  await endless.close();
  for (const c of [extraFarm, frozenFarm, healthyFarm, dbFarm]) await c.stop();
  await dbProxy.close();
  await embedded?.stop();
  process.exit(rows.every((r) => r.lostHealthy === 0 && r.failures === 0 && r.peakRssMb < 400) ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`load-and-fault failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
