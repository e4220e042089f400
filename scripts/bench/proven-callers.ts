import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { AssertionSigner } from '../../common/auth/assertion-signer';
import { ASSERTION_HEADER } from '../../common/auth/assertion';
import { createCallerKeyPair, createCallerProof } from '../../common/auth/caller-proof';
import { issueCallerToken } from '../../common/auth/caller-token';
import { FORWARDED_PROOF_EXTENSION } from '../../common/auth/forwarded-proof';
import { createKeyPair, publicPart } from '../../common/auth/keys';
import type { Caller } from '../../common/caller';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { startChild, type Child } from './child';
import type { BenchContext } from './comparisons';
import { median, type LoadResult } from './load';
import { cpuSeconds } from './proc-stats';

const MEMBER = 'kafshata';
/** The gateway endpoint the callers' proofs name (the requests go straight to the member). */
const GATEWAY_ENDPOINT = 'http://127.0.0.1:1/graphql';
const QUERY = '{ services { id name kind } }';

interface Prepared {
  body: string;
  headers: Record<string, string>;
}

/**
 * 11. What proven callers cost a member: the same query, straight to two member processes on the
 * same data (the demo's kafshata), one `asserted` (a gateway assertion per request) and one
 * `proven` (the assertion plus the caller's forwarded token, proof and original body, all checked
 * by the member: token signature, proof signature, replay in PostgreSQL, subset check).
 * Every request is unique (assertion ids and proofs are one-time), prepared before each round so
 * the load generator signs nothing while it measures. Rounds alternate; medians of the rounds.
 * Also: the extra bytes a proven sub-request carries.
 */
export async function provenVsAsserted(ctx: BenchContext) {
  const schema = `${ctx.prefix}_proven`;
  const orm = await openDatabase({ url: ctx.databaseUrl, schema, poolMax: 2 }, ctx.logger);
  try {
    await importMemberData(orm, MEMBER, readFileSync(join(__dirname, '..', '..', '..', 'demo', 'members', `${MEMBER}.yaml`), 'utf8'), { prune: true });
  } finally {
    await orm.close(true);
  }
  const gatewayKey = (await createKeyPair()).privateJwk;
  const memberKey = (await createKeyPair()).privateJwk;
  // a non-extractable CryptoKey, as a browser holds it: signing needs no key import per proof, so
  // a round's proofs are made in a second or two, well inside their 60 s of freshness
  const callerKey = await createCallerKeyPair({ extractable: false });
  const registryFile = join(ctx.dir, 'proven.yaml');
  writeFileSync(
    registryFile,
    stringify({
      network: { id: 'bench', name: 'Bench' },
      members: [{ id: MEMBER, name: MEMBER, region: 'Bench', url: 'http://127.0.0.1:9/graphql', keys: [publicPart(memberKey)] }],
      gateways: [{ id: 'gateway', keys: [publicPart(gatewayKey)], endpoints: [GATEWAY_ENDPOINT] }],
    }),
  );
  const start = (callerPolicy: 'asserted' | 'proven') =>
    startChild<{ url: string }>('member-process', { memberId: MEMBER, databaseUrl: ctx.databaseUrl, schema, registryFile, poolMax: 4, callerPolicy }, 60_000, ctx.nodeArgs).then((c) => ctx.track(c));
  const members: Record<'asserted' | 'proven', Child<{ url: string }>> = { asserted: await start('asserted'), proven: await start('proven') };

  const signer = new AssertionSigner(gatewayKey, 'gateway');
  const subject = 'bench-bot';
  const caller: Caller = { anonymous: false, member: MEMBER, subject, scopes: ['read'] };
  const token = await issueCallerToken({ key: memberKey, member: MEMBER, subject, scopes: ['read'], audience: 'bench', ttlSeconds: 3600, boundTo: callerKey.thumbprint });
  const original = JSON.stringify({ query: QUERY });
  const assertedBody = JSON.stringify({ query: QUERY, variables: {} });
  const prepare = async (mode: 'asserted' | 'proven', count: number): Promise<Prepared[]> => {
    const out: Prepared[] = [];
    for (let i = 0; i < count; i++) {
      let body = assertedBody;
      if (mode === 'proven') {
        const proof = await createCallerProof({ key: callerKey.privateKey, publicJwk: callerKey.publicJwk, htm: 'POST', htu: GATEWAY_ENDPOINT, token, body: original });
        body = JSON.stringify({ query: QUERY, variables: {}, extensions: { [FORWARDED_PROOF_EXTENSION]: { token, proof, body: original } } });
      }
      out.push({ body, headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: signer.sign({ member: MEMBER, caller, body }) } });
    }
    return out;
  };

  // the two answer the same, and the proven member answers the proven caller's OWNER records too
  const check = async (mode: 'asserted' | 'proven') => {
    const [one] = await prepare(mode, 1);
    const res = await fetch(members[mode].ready.url, { method: 'POST', headers: one.headers, body: one.body });
    const answer = (await res.json()) as { data?: { services?: unknown[] }; errors?: unknown[] };
    if (res.status !== 200 || answer.errors || !answer.data?.services?.length) throw new Error(`proven-callers bench: ${mode} probe failed: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return answer.data.services.length;
  };
  const services = { asserted: await check('asserted'), proven: await check('proven') };
  if (services.asserted !== services.proven) throw new Error(`proven-callers bench: the members answered ${services.asserted} and ${services.proven} services`);

  const amount = ctx.smoke ? 200 : Math.max(2000, ctx.seconds * 800);
  const runs: Record<'asserted' | 'proven', LoadResult[]> = { asserted: [], proven: [] };
  const cpu: Record<'asserted' | 'proven', number[]> = { asserted: [], proven: [] };
  const once = async (mode: 'asserted' | 'proven', count: number, record: boolean) => {
    const pool = await prepare(mode, count);
    const before = cpuSeconds(members[mode].pid);
    const result = await fire(members[mode].ready.url, pool, ctx.connections);
    const used = cpuSeconds(members[mode].pid) - before;
    if (result.non2xx || result.errors) throw new Error(`proven-callers bench: ${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    if (record) {
      runs[mode].push(result);
      cpu[mode].push((used * 1000) / count);
    }
  };
  for (const mode of ['asserted', 'proven'] as const) await once(mode, Math.round(amount / 2), false); // warm-up
  for (let i = 0; i < ctx.rounds; i++) for (const mode of ['asserted', 'proven'] as const) await once(mode, amount, true);
  for (const m of Object.values(members)) await m.stop();

  const med = { asserted: median(runs.asserted), proven: median(runs.proven) };
  const cpuMs = { asserted: ms3(medianOf(cpu.asserted)), proven: ms3(medianOf(cpu.proven)) };
  const [sample] = await prepare('proven', 1);
  const extraBytes = Buffer.byteLength(sample.body) - Buffer.byteLength(assertedBody);
  const result = {
    query: QUERY,
    services: services.proven,
    requestsPerRound: amount,
    asserted: { rps: Math.round(med.asserted.rps), p50: med.asserted.p50, p99: med.asserted.p99 },
    proven: { rps: Math.round(med.proven.rps), p50: med.proven.p50, p99: med.proven.p99 },
    ratio: round(med.proven.rps / med.asserted.rps),
    cpuMsPerRequest: cpuMs,
    cpuRatio: round(cpuMs.asserted / cpuMs.proven),
    extraBytesPerSubRequest: extraBytes,
    subRequestBytes: { asserted: Buffer.byteLength(assertedBody), proven: Buffer.byteLength(sample.body) },
    rounds: { asserted: runs.asserted.map((r) => Math.round(r.rps)), proven: runs.proven.map((r) => Math.round(r.rps)) },
  };
  ctx.log(
    `11. member, same query: proven ${result.proven.rps} req/s, asserted ${result.asserted.rps} req/s: proven/asserted = ${result.ratio}; CPU per request proven ${cpuMs.proven} ms, asserted ${cpuMs.asserted} ms; +${extraBytes} bytes per sub-request (${result.subRequestBytes.asserted} → ${result.subRequestBytes.proven})`,
  );
  return result;
}

/** Sends each prepared request once (loopback only), `connections` at a time. */
async function fire(url: string, pool: Prepared[], connections: number): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`benchmarks run against loopback only, not ${url}`);
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    amount: pool.length,
    requests: [
      {
        setupRequest: (req) => {
          const prepared = pool[next++ % pool.length];
          return { ...req, body: prepared.body, headers: { ...req.headers, ...prepared.headers } };
        },
      },
    ],
  });
  // a fixed number of requests: the rate over the whole run (per-second samples would cut the ends)
  return { rps: result.requests.total / Math.max(0.001, result.duration), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

function medianOf(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
const ms3 = (x: number) => Math.round(x * 1000) / 1000;
const round = (x: number) => Math.round(x * 100) / 100;
