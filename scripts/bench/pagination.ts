import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startChild, type Child } from './child';
import { cpuSeconds } from './proc-stats';
import { round, type BenchContext } from './comparisons';

type Farm = Child<{ members: { id: string; url: string }[] }>;

const PAGE = (after?: string, count = true) =>
  `{ servicesConnection(first: 50${after ? `, after: "${after}"` : ''}) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor }${count ? ' totalCount' : ''} } }`;

interface Page {
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

async function page(url: string, query: string): Promise<Page> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: { servicesConnection?: Page }; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors || !body.data?.servicesConnection) throw new Error(`pagination benchmark: ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data.servicesConnection;
}

/** Resident memory of a process now (VmRSS), in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * 12. Pagination (issue 18): `servicesConnection(first: 50)` across `members` simulated members ×
 * `services` services each (real member subgraphs in one farm process, sharing one database
 * schema so that a hundred members fit the machine's PostgreSQL connections).
 * - page 1 vs page 50 at 100 members: the gateway's CPU per page and its memory, in alternating
 *   rounds (a constant cost means the walk's position does not grow the work);
 * - the first page's p50 at 100 members vs 10 members, both gateways over the same farm, in
 *   alternating rounds, with and without `totalCount` (which asks every member for its count:
 *   with all members in one farm process on this machine, that measures the farm's CPU more than
 *   the gateway's).
 */
export async function benchPagination(ctx: BenchContext) {
  const members = ctx.smoke ? 12 : 100;
  const few = ctx.smoke ? 3 : 10;
  const services = ctx.smoke ? 60 : 1000;
  const farm = ctx.track(
    await startChild<Farm['ready']>(
      'member-farm',
      {
        databaseUrl: ctx.databaseUrl,
        schemaPrefix: `${ctx.prefix}_pages`,
        members: Array.from({ length: members }, (_, i) => ({ id: `m${String(i).padStart(3, '0')}`, services })),
        poolMax: 8,
        shareDatabase: true,
      },
      600_000,
    ),
  ) as Farm;
  const registry = (name: string, list: { id: string; url: string }[]) => {
    const file = join(ctx.dir, `${name}.yaml`);
    writeFileSync(file, stringify({ network: { id: 'bench', name: 'Bench' }, members: list.map((m) => ({ id: m.id, name: m.id, region: 'Bench', url: m.url })), gateways: [] }));
    return file;
  };
  const settings = { responseCacheTtlSeconds: 0, maxFanoutCost: 100_000, maxCost: 1_000_000, memberDeadlineMs: 30_000, requestBudgetMs: 60_000, healthIntervalMs: 600_000, dedupeRequests: false };
  const many = ctx.track(await startChild<{ url: string }>('gateway-process', { registryFile: registry('pages-many', farm.ready.members), ...settings }, 60_000, ctx.nodeArgs));
  const some = ctx.track(await startChild<{ url: string }>('gateway-process', { registryFile: registry('pages-few', farm.ready.members.slice(0, few)), ...settings }, 60_000, ctx.nodeArgs));

  // the cursor of page 50 (and a check that the walk gives every record once so far)
  const target = ctx.smoke ? 5 : 50;
  let after: string | undefined;
  const seen = new Set<string>();
  for (let n = 1; n < target; n++) {
    const p = await page(many.ready.url, PAGE(after, false));
    for (const e of p.edges) seen.add(e.node.id);
    after = p.pageInfo.endCursor ?? undefined;
  }
  if (seen.size !== (target - 1) * 50) throw new Error(`pagination benchmark: the walk to page ${target} gave ${seen.size} distinct records, not ${(target - 1) * 50}`);
  const cursorBytes = { page1: 0, pageN: Buffer.byteLength(after ?? '') };

  // gateway CPU and memory per page of the walk (no totalCount: the walk's own cost): a fixed
  // number of requests, one at a time, alternating page 1 and page N
  const requests = ctx.smoke ? 5 : 60;
  const cpu: Record<'page1' | 'pageN', number[]> = { page1: [], pageN: [] };
  const rss: Record<'page1' | 'pageN', number[]> = { page1: [], pageN: [] };
  const run = async (query: string) => {
    const before = cpuSeconds(many.pid);
    for (let i = 0; i < requests; i++) await page(many.ready.url, query);
    return ((cpuSeconds(many.pid) - before) * 1000) / requests;
  };
  const walkN = PAGE(after, false);
  await run(PAGE(undefined, false));
  await run(walkN);
  for (let r = 0; r < ctx.rounds; r++) {
    cpu.page1.push(await run(PAGE(undefined, false)));
    rss.page1.push(rssMb(many.pid));
    cpu.pageN.push(await run(walkN));
    rss.pageN.push(rssMb(many.pid));
  }
  const cpuMs = { page1: round(medianOf(cpu.page1)), pageN: round(medianOf(cpu.pageN)) };
  const rssMbMedian = { page1: medianOf(rss.page1), pageN: medianOf(rss.pageN) };

  // first page p50: 100 members vs 10, with and without totalCount, one request at a time (a
  // counted page at 100 members takes seconds on this farm: a closed load loop would measure its
  // queue), the four alternating in every round; p50 over every round's requests
  const latencies: Record<'many' | 'few' | 'manyCounted' | 'fewCounted', number[]> = { many: [], few: [], manyCounted: [], fewCounted: [] };
  const timed = async (name: keyof typeof latencies, url: string, query: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await page(url, query);
      latencies[name].push(performance.now() - started);
    }
  };
  const plain = ctx.smoke ? 3 : 20;
  const counted = ctx.smoke ? 1 : 4;
  const firstRound = async (keep: boolean) => {
    const before = Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, v.length]));
    await timed('many', many.ready.url, PAGE(undefined, false), plain);
    await timed('few', some.ready.url, PAGE(undefined, false), plain);
    await timed('manyCounted', many.ready.url, PAGE(), counted);
    await timed('fewCounted', some.ready.url, PAGE(), counted);
    if (!keep) for (const [k, n] of Object.entries(before)) latencies[k as keyof typeof latencies].length = n;
  };
  await firstRound(false); // warm-up
  for (let r = 0; r < ctx.rounds; r++) await firstRound(true);
  const p50 = Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, round(medianOf(v))])) as Record<keyof typeof latencies, number>;
  const result = {
    members,
    fewMembers: few,
    servicesPerMember: services,
    pageSize: 50,
    pageN: target,
    gatewayCpuMsPerPage: cpuMs,
    cpuRatioPageNOverPage1: round(cpuMs.pageN / cpuMs.page1),
    gatewayRssMb: rssMbMedian,
    cursorBytes,
    firstPage: {
      requests: { withoutTotalCount: plain * ctx.rounds, withTotalCount: counted * ctx.rounds },
      withTotalCount: { many: { p50: p50.manyCounted }, few: { p50: p50.fewCounted }, p50ratio: round(p50.manyCounted / p50.fewCounted) },
      withoutTotalCount: { many: { p50: p50.many }, few: { p50: p50.few }, p50ratio: round(p50.many / p50.few) },
    },
  };
  ctx.log(
    `12. servicesConnection(first: 50), ${members} members × ${services}: gateway CPU per page ${cpuMs.page1} ms (page 1) vs ${cpuMs.pageN} ms (page ${target}) = ${result.cpuRatioPageNOverPage1}x, RSS ${rssMbMedian.page1} vs ${rssMbMedian.pageN} MB; ` +
      `first page p50 ${members} vs ${few} members: ${p50.many} / ${p50.few} ms = ${result.firstPage.withoutTotalCount.p50ratio} without totalCount, ${p50.manyCounted} / ${p50.fewCounted} ms = ${result.firstPage.withTotalCount.p50ratio} with`,
  );
  await many.stop();
  await some.stop();
  await farm.stop();
  return result;
}
