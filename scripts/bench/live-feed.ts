import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { createLogger } from '../../common/logger';
import { SseParser } from '../watch/sse-parser';
import { startChild, type Child } from './child';

/**
 * Live subscriptions (issue 17), on loopback: a farm of member subgraphs on PostgreSQL, one
 * gateway process, subscribers over SSE in this process.
 * - latency: a change at a member (a service's status flips in its database) until the event
 *   reaches a subscriber at the gateway, p50 and p95;
 * - upstream: reads of the members' change logs per member per minute with 1 and with N
 *   subscribers of one caller class (anonymous), in alternating rounds (medians);
 * - memory: the gateway's RSS with N subscribers connected, less its RSS before they connected;
 * - restart (a check, not a timing): N subscribers, the gateway stopped, changes made while it is
 *   down, a new gateway process; every subscriber reconnects with its last event id and must end
 *   with exactly the changes made, none missing, none twice.
 * `node dist/scripts/bench/live-feed.js [--members 20] [--subscribers 1000] [--seconds 30] [--rounds 3] [--smoke]`
 */

export interface LiveFeedOptions {
  databaseUrl: string;
  prefix: string;
  members: number;
  subscribers: number;
  /** Length of each measuring round. */
  seconds: number;
  rounds: number;
  /** Changes made per second during a round (round-robin over the members). */
  changesPerSecond: number;
  log(line: string): void;
}

export interface LiveFeedResult {
  members: number;
  subscribers: number;
  pollMs: number;
  latencyMs: { p50: number; p95: number; max: number; samples: number };
  upstreamPerMemberPerMinute: { one: number; many: number; ratio: number; rounds: { one: number[]; many: number[] } };
  /** The gateway's RSS before and with the subscribers in the first round, and the largest increase over all rounds (each round's in `increases`). */
  rssMb: { before: number; with: number; increase: number; increases: number[] };
  /** Every subscriber got every change of its rounds. */
  complete: boolean;
  restart: { subscribers: number; changes: number; missing: number; duplicated: number; ok: boolean };
  /** Each target of issue 17, met or not. */
  targets: { latencyP95Within2s: boolean; upstreamUnchangedBySubscribers: boolean; rssIncreaseUnder100Mb: boolean; noChangeMissedAcrossRestart: boolean };
}

const SUBSCRIPTION = JSON.stringify({ query: 'subscription { networkChanged(kinds: [SERVICE]) { id operation at } }' });
const POLL_MS = 1000;

interface Subscriber {
  status: Promise<number>;
  /** Change ids (with their time) in arrival order. */
  got: { id: string; at: string; arrived: number }[];
  lastId?: string;
  ended: Promise<void>;
  close(): void;
}

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

function subscribe(url: string, lastEventId?: string, onChange?: (id: string, arrived: number) => void): Subscriber {
  const parser = new SseParser();
  const sub: Partial<Subscriber> & { got: Subscriber['got'] } = { got: [] };
  let endResolve!: () => void;
  sub.ended = new Promise<void>((r) => (endResolve = r));
  const req = httpRequest(url, { method: 'POST', agent, headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });
  sub.status = new Promise<number>((resolve) => {
    req.on('response', (res: IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const event of parser.push(chunk)) {
          if (event.event !== 'next') continue;
          const change = (JSON.parse(event.data) as { data?: { networkChanged?: { id: string; at: string } } }).data?.networkChanged;
          if (!change) continue;
          const arrived = performance.now();
          sub.got.push({ id: change.id, at: change.at, arrived });
          sub.lastId = event.id;
          onChange?.(change.id, arrived);
        }
      });
      res.on('close', endResolve);
    });
    req.on('error', () => {
      resolve(0);
      endResolve();
    });
  });
  req.end(SUBSCRIPTION);
  sub.close = () => req.destroy();
  return sub as Subscriber;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  return (await res.json()) as T;
}

export async function benchLiveFeed(opts: LiveFeedOptions): Promise<LiveFeedResult> {
  const ids = Array.from({ length: opts.members }, (_, i) => `m${String(i).padStart(2, '0')}`);
  const children: { stop(): Promise<void> }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'infrared-live-'));
  try {
    const farm = await startChild<{ members: { id: string; url: string }[]; control: string }>(
      'member-farm',
      { databaseUrl: opts.databaseUrl, schemaPrefix: `${opts.prefix}_live`, members: ids.map((id) => ({ id, services: 1 })), poolMax: 2 },
      300_000,
    );
    children.push(farm);
    const registryFile = join(dir, 'network.yaml');
    writeFileSync(registryFile, stringify({ network: { id: 'bench', name: 'Bench' }, members: farm.ready.members.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    const gatewaySettings = {
      registryFile,
      responseCacheTtlSeconds: 0,
      streamPollMs: POLL_MS,
      maxSubscriptions: opts.subscribers * 2 + 10,
      maxSubscriptionsPerCaller: opts.subscribers * 2 + 10,
      shutdownDelayMs: 0,
    };
    let gateway: Child<{ url: string }> = await startChild<{ url: string }>('gateway-process', gatewaySettings, 60_000);
    children.push(gateway);
    const streamUrl = () => `${gateway.ready.url}/stream`;
    const feedReads = async () => Object.values(await getJson<Record<string, number>>(`${farm.ready.control}/feed`)).reduce((a, b) => a + b, 0);
    let touchIndex = 0;
    const touch = async (): Promise<{ id: string; at: number }> => {
      const member = ids[touchIndex++ % ids.length];
      const at = performance.now();
      const { id } = await getJson<{ id: string }>(`${farm.ready.control}/touch?member=${member}`);
      return { id, at };
    };

    /**
     * Every subscriber's stream is answered (200): the gateway answers a stream without a cursor
     * once its shared feed stands at the present, so every change made from now on must reach it.
     */
    const answered = async (subs: Subscriber[]) => {
      const statuses = await Promise.all(subs.map((s) => s.status));
      const refused = statuses.filter((s) => s !== 200).length;
      if (refused > 0) throw new Error(`subscribers refused or cut: ${refused} of ${subs.length}`);
    };

    // warm-up: the gateway's code paths, once (the present is found again by each round's first subscriber)
    const warm = subscribe(streamUrl());
    await answered([warm]);
    await touch();
    await sleep(2 * POLL_MS);
    warm.close();
    await warm.ended;
    await sleep(POLL_MS);

    const latencies: number[] = [];
    const calls = { one: [] as number[], many: [] as number[] };
    let rss = { before: 0, with: 0, increase: 0, increases: [] as number[] };
    let complete = true;
    for (let round = 0; round < opts.rounds; round++) {
      for (const count of [1, opts.subscribers]) {
        const before = rssMb(gateway.pid);
        // the first subscriber measures latency; the others only count
        const pending = new Map<string, number>();
        const subs = [
          subscribe(streamUrl(), undefined, (id, arrived) => {
            const at = pending.get(id);
            if (at !== undefined) {
              latencies.push(arrived - at);
              pending.delete(id);
            }
          }),
        ];
        for (let i = 1; i < count; i++) subs.push(subscribe(streamUrl()));
        await answered(subs);
        const readsBefore = await feedReads();
        const started = Date.now();
        let made = 0;
        while (Date.now() - started < opts.seconds * 1000) {
          const { id, at } = await touch();
          pending.set(id, at);
          made++;
          await sleep(1000 / opts.changesPerSecond);
        }
        const elapsedMin = (Date.now() - started) / 60_000;
        const reads = (await feedReads()) - readsBefore;
        (count === 1 ? calls.one : calls.many).push(reads / opts.members / elapsedMin);
        // the last changes arrive (on a loaded machine this can take a while: waiting is not timed)
        const settle = Date.now() + 60_000;
        while (subs.some((sub) => sub.got.length < made) && Date.now() < settle) await sleep(100);
        if (count > 1) {
          const after = rssMb(gateway.pid);
          if (round === 0) rss = { before, with: after, increase: after - before, increases: [] };
          else rss.increase = Math.max(rss.increase, after - before);
          rss.increases.push(after - before);
        }
        const short = subs.filter((s) => s.got.length < made).length;
        if (short > 0) {
          complete = false;
          opts.log(`  round ${round + 1}, ${count} subscriber(s): ${short} got fewer than the ${made} changes made`);
        }
        for (const s of subs) s.close();
        await Promise.all(subs.map((s) => s.ended));
        opts.log(`  round ${round + 1}, ${count} subscriber(s): ${made} changes, ${(reads / opts.members / elapsedMin).toFixed(1)} feed reads per member per minute`);
        await sleep(POLL_MS);
      }
    }

    // restart: no subscriber may miss a change across it
    const subs = Array.from({ length: opts.subscribers }, () => subscribe(streamUrl()));
    await answered(subs);
    // the feed gives each record's latest state: a record changed twice between two reads arrives
    // once, as it is after the second change. So each subscriber must end with, for every record
    // touched, an event no older than its last touch (same clock: members and bench share the
    // host), and no event twice.
    const lastTouch = new Map<string, number>();
    let touches = 0;
    const record = async () => {
      const before = Date.now();
      const { id } = await touch();
      lastTouch.set(id, before);
      touches++;
    };
    const upToDate = (got: Subscriber['got'], id: string) => got.some((c) => c.id === id && Date.parse(c.at) >= lastTouch.get(id)! - 1);
    for (let i = 0; i < 5; i++) await record();
    await sleep(3 * POLL_MS);
    await gateway.stop();
    children.splice(children.indexOf(gateway), 1);
    await Promise.all(subs.map((s) => s.ended));
    for (let i = 0; i < 5; i++) await record(); // while no gateway runs
    gateway = await startChild<{ url: string }>('gateway-process', gatewaySettings, 60_000);
    children.push(gateway);
    const resumed = subs.map((s) => {
      const next = subscribe(streamUrl(), s.lastId);
      return { first: s, next };
    });
    await Promise.all(resumed.map((r) => r.next.status));
    for (let i = 0; i < 5; i++) await record();
    const settle = Date.now() + 60_000;
    while (resumed.some((r) => [...lastTouch.keys()].some((id) => !upToDate([...r.first.got, ...r.next.got], id))) && Date.now() < settle) await sleep(100);
    await sleep(2 * POLL_MS); // and nothing more (a repeat would show as a duplicate)
    let missing = 0;
    let duplicated = 0;
    for (const { first, next } of resumed) {
      const got = [...first.got, ...next.got];
      for (const id of lastTouch.keys()) if (!upToDate(got, id)) missing++;
      const seen = new Set<string>();
      for (const c of got) {
        const key = `${c.id} ${c.at}`;
        if (seen.has(key)) duplicated++;
        seen.add(key);
      }
      next.close();
    }
    const changes = touches;
    const p95 = Math.round(percentile(latencies, 95));
    const ratio = round1(median(calls.many) / median(calls.one));
    return {
      members: opts.members,
      subscribers: opts.subscribers,
      pollMs: POLL_MS,
      latencyMs: { p50: Math.round(percentile(latencies, 50)), p95, max: Math.round(Math.max(...latencies)), samples: latencies.length },
      upstreamPerMemberPerMinute: {
        one: round1(median(calls.one)),
        many: round1(median(calls.many)),
        ratio,
        rounds: { one: calls.one.map(round1), many: calls.many.map(round1) },
      },
      rssMb: rss,
      complete,
      restart: { subscribers: opts.subscribers, changes, missing, duplicated, ok: missing === 0 && duplicated === 0 },
      targets: {
        latencyP95Within2s: p95 <= 2000,
        // 1 and N subscribers, measured in alternating rounds: equal within the rounds' noise
        upstreamUnchangedBySubscribers: ratio <= 1.15,
        rssIncreaseUnder100Mb: rss.increase < 100,
        noChangeMissedAcrossRestart: missing === 0,
      },
    };
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The summary lines for the benchmark table. */
export function liveFeedRows(r: LiveFeedResult): string[][] {
  return [
    [
      `13. live subscriptions: change at a member → SSE subscriber, ${r.members} members, poll ${r.pollMs} ms`,
      `p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms (${r.latencyMs.samples} changes)`,
      '',
      'p95 ≤ 2000 ms',
    ],
    [
      `    upstream feed reads per member per minute, 1 ÷ ${r.subscribers} subscribers of one class`,
      `${r.upstreamPerMemberPerMinute.one} / ${r.upstreamPerMemberPerMinute.many}`,
      String(r.upstreamPerMemberPerMinute.ratio),
      '1.0',
    ],
    [
      `    gateway RSS increase with ${r.subscribers} SSE subscribers`,
      `round 1: ${r.rssMb.before} → ${r.rssMb.with} MB; largest increase +${r.rssMb.increase} MB (rounds: ${r.rssMb.increases.map((mb) => `+${mb}`).join(', ')})`,
      '',
      '< 100 MB',
    ],
    [`    gateway restart, ${r.subscribers} subscribers resuming with Last-Event-ID`, `${r.restart.changes} changes: ${r.restart.missing} missing, ${r.restart.duplicated} twice`, '', 'none missing'],
  ];
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const smoke = process.argv.includes('--smoke');
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ logger: createLogger('bench', 'error') });
  try {
    const result = await benchLiveFeed({
      databaseUrl: process.env.DATABASE_URL ?? embedded!.url,
      prefix: `live${Date.now().toString(36)}`,
      members: arg('members', smoke ? 4 : 20),
      subscribers: arg('subscribers', smoke ? 20 : 1000),
      seconds: arg('seconds', smoke ? 3 : 30),
      rounds: arg('rounds', smoke ? 1 : 3),
      changesPerSecond: arg('rate', 2),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const unmet = Object.entries(result.targets).filter(([, met]) => !met);
    process.stdout.write(unmet.length ? `targets not met: ${unmet.map(([name]) => name).join(', ')}\n` : 'every target met\n');
    for (const row of liveFeedRows(result)) process.stdout.write(`| ${row.join(' | ')} |\n`);
  } finally {
    await embedded?.stop();
  }
}

if (require.main === module)
  main().catch((err) => {
    process.stderr.write(`live-feed bench failed: ${(err as Error).stack}\n`);
    process.exit(1);
  });
