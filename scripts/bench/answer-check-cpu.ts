import { resolve } from 'node:path';
import { parse } from 'graphql';
import { answerRules } from '../../gateway/src/fanout/answer-check/answer-rules';
import { checkAnswer } from '../../gateway/src/fanout/answer-check/check-answer';
import { loadMemberContract } from '../../schema/contract';
import { ID_PROBE, planOperation } from '../../gateway/src/fanout/operation-plan';

/**
 * `node dist/scripts/bench/answer-check-cpu.js [--base <dir>]`: CPU time the gateway spends on
 * the member answers of one request of the 20-member bench (20 members × 10 services, the rich
 * query), in-process and measured as CPU time, so that a busy machine changes it little. With
 * `--base`, the same answers through that build's foreign-record scrub (the code before the
 * answer check), side by side.
 */

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const QUERY = '{ services { id name kind status languages regions acceptingUsers member { id } capacity { id resource total used available } } }';
const MEMBERS = 20;
const SERVICES = 10;

function answerOf(member: string): string {
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    id: `${member}:svc-${i}`,
    name: `Service ${i} of ${member}`,
    kind: 'EMAIL',
    status: 'OPERATIONAL',
    languages: ['en'],
    regions: ['Bench'],
    acceptingUsers: true,
    member: { id: member, [ID_PROBE]: member },
    capacity: [{ id: `${member}:cap-${i}`, resource: 'STORAGE_GB', total: 100, used: i, available: 100 - i, [ID_PROBE]: `${member}:cap-${i}` }],
    [ID_PROBE]: `${member}:svc-${i}`,
  }));
  return JSON.stringify({ services });
}

/** CPU microseconds per request for `work` over every member's answer, median of rounds. */
async function cpuPerRequest(work: (member: string, text: string) => unknown | Promise<unknown>, texts: [string, string][], requests: number): Promise<number> {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i++) for (const [member, text] of texts) await work(member, text);
    const used = process.cpuUsage(before);
    rounds.push((used.user + used.system) / requests);
  }
  return Math.round(rounds.sort((a, b) => a - b)[2]);
}

async function main(): Promise<void> {
  const contract = loadMemberContract();
  const rules = answerRules(contract.schema);
  const document = parse(planOperation(QUERY, contract).probedText);
  const ids = Array.from({ length: MEMBERS }, (_, i) => `m${String(i).padStart(2, '0')}`);
  const texts = ids.map((id) => [id, answerOf(id)] as [string, string]);
  const requests = Number(arg('requests') ?? 200);
  const parseOnly = await cpuPerRequest((_, text) => JSON.parse(text), texts, requests);
  const checked = await cpuPerRequest(
    (member, text) => checkAnswer(JSON.parse(text), { schema: contract.schema, rules, document, variables: {}, sender: member, isMember: (id) => ids.includes(id), maxListItems: 1000 }),
    texts,
    requests,
  );
  let line = `member answers of one request (${MEMBERS} members × ${SERVICES} services, ${QUERY.length}-char query): JSON.parse ${parseOnly} µs CPU; parse + answer check ${checked} µs CPU`;
  const base = arg('base');
  if (base) {
    // the code before the answer check: the foreign-record scrub over each answer, and a deep copy of it
    // for anonymous callers (in-flight sharing) that the check made unnecessary
    const { scrubForeign } = require(resolve(base, 'dist/gateway/src/fanout/scrub-foreign.js')) as { scrubForeign: (data: Record<string, unknown>, member: string) => number };
    const scrubbed = await cpuPerRequest((member, text) => scrubForeign(JSON.parse(text), member), texts, requests);
    const cloned = await cpuPerRequest((member, text) => scrubForeign(structuredClone(JSON.parse(text)), member), texts, requests);
    line += `; before: parse + scrub ${scrubbed} µs CPU (${cloned} µs with the anonymous deep copy). Check ÷ scrub = ${Math.round(((checked - parseOnly) / Math.max(1, scrubbed - parseOnly)) * 10) / 10} on the walk alone; whole ${Math.round((checked / scrubbed) * 100) / 100} (${Math.round((checked / cloned) * 100) / 100} against the anonymous path)`;
  }
  process.stdout.write(`${line}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
