import { parse } from 'graphql';
import { answerRules } from '../../gateway/src/fanout/answer-check/answer-rules';
import { checkAnswer } from '../../gateway/src/fanout/answer-check/check-answer';
import { loadMemberContract } from '../../schema/contract';
import { ID_PROBE, planOperation } from '../../gateway/src/fanout/operation-plan';
import { matchSupport } from '../../gateway/src/network/network-aggregates';
import { SUPPORT_KINDS } from '../../schema/enums';

/**
 * `node dist/scripts/bench/aggregates.js [--members 20] [--items 1000]`: what `supportMatches`
 * costs the gateway when every member answers `items` offers and `items` needs — checking each
 * member's answer, then matching — and the longest stretch the event loop was kept busy (it
 * must stay a few ms: /health and other requests are served between slices). Side by side:
 * pairing every need with every offer, as the gateway did before, on a network a quarter the size
 * (at full size it runs for minutes).
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUERY = 'query($k: SupportKind) { supportOffers(kind: $k) { id kind languages member { id } } supportNeeds(kind: $k) { id kind languages member { id } } }';
const LANGUAGES = ['en', 'es', 'fr', 'sq', 'ar', 'de', 'pt-BR', 'en-GB'];

/** A seeded PRNG (mulberry32), so every run generates the same network. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function memberAnswer(member: string, items: number, random: () => number) {
  const item = (prefix: string, i: number) => ({
    id: `${member}:${prefix}${i}`,
    [ID_PROBE]: `${member}:${prefix}${i}`,
    kind: SUPPORT_KINDS[Math.floor(random() * SUPPORT_KINDS.length)],
    languages: [LANGUAGES[Math.floor(random() * LANGUAGES.length)], LANGUAGES[Math.floor(random() * LANGUAGES.length)]],
    member: { id: member, [ID_PROBE]: member },
  });
  return { supportOffers: Array.from({ length: items }, (_, i) => item('o', i)), supportNeeds: Array.from({ length: items }, (_, i) => item('n', i)) };
}

/**
 * Runs `work` while timing the gaps between event-loop turns; returns its time and the longest
 * slice, both in wall-clock time and in CPU time (on a busy machine the wall-clock gap includes
 * time the process waited for a core; the CPU time is the work the slice did).
 */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; longestSliceMs: number; longestSliceCpuMs: number; result: T }> {
  let longest = 0;
  let longestCpu = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let running = true;
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    longest = Math.max(longest, now - last);
    longestCpu = Math.max(longestCpu, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  running = false;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { ms: round(ms), longestSliceMs: round(longest), longestSliceCpuMs: round(longestCpu), result };
}

type Item = { id: string; kind: string; languages: string[]; member: { id: string } };

/** The earlier algorithm, kept here for comparison only: every need against every offer. */
function pairEverything(needs: Item[], offers: Item[]) {
  const matches = [];
  for (const need of needs) {
    for (const offer of offers) {
      if (offer.kind !== need.kind || offer.member.id === need.member.id) continue;
      const shared = need.languages.filter((l) => offer.languages.some((o) => o.split('-')[0].toLowerCase() === l.split('-')[0].toLowerCase()));
      if (shared.length) matches.push({ need: need.id, offer: offer.id, languages: shared });
    }
  }
  return matches;
}

export async function benchAggregates(members: number, items: number) {
  const contract = loadMemberContract();
  const rules = answerRules(contract.schema);
  const document = parse(planOperation(QUERY, contract).probedText);
  const random = prng(42);
  const ids = Array.from({ length: members }, (_, i) => `m${String(i).padStart(2, '0')}`);
  const answers = ids.map((id) => ({ id, data: memberAnswer(id, items, random) }));
  const run = async (subset: typeof answers) => {
    const checked = [];
    for (const a of subset) {
      checked.push(await checkAnswer(a.data, { schema: contract.schema, rules, document, variables: { k: null }, sender: a.id, isMember: (m) => ids.includes(m), maxListItems: 1000 }));
    }
    const offers = checked.flatMap((c) => c.data!.supportOffers as Item[]);
    const needs = checked.flatMap((c) => c.data!.supportNeeds as Item[]);
    return matchSupport(needs, offers, 1000);
  };
  await run(answers.slice(0, 2)); // warm-up
  const full = await timed(() => run(answers));
  const quarter = answers.slice(0, Math.max(2, Math.round(members / 4)));
  const quarterNew = await timed(() => run(quarter));
  const quarterOld = await timed(async () => {
    const offers = quarter.flatMap((a) => a.data.supportOffers);
    const needs = quarter.flatMap((a) => a.data.supportNeeds);
    return pairEverything(needs, offers);
  });
  return {
    full: { members, items, ms: full.ms, longestSliceMs: full.longestSliceMs, longestSliceCpuMs: full.longestSliceCpuMs, matches: full.result.length },
    quarter: {
      members: quarter.length,
      items,
      checkedAndIndexedMs: quarterNew.ms,
      longestSliceMs: quarterNew.longestSliceMs,
      longestSliceCpuMs: quarterNew.longestSliceCpuMs,
      pairEverythingMs: quarterOld.ms,
      pairEverythingLongestSliceMs: quarterOld.longestSliceMs,
      pairsBefore: quarterOld.result.length,
    },
  };
}

if (require.main === module) {
  const members = arg('members', 20);
  const items = arg('items', 1000);
  benchAggregates(members, items).then(
    (r) => {
      process.stdout.write(
        `supportMatches, ${r.full.members} members × ${r.full.items} offers and ${r.full.items} needs: ${r.full.ms} ms (answer check + index + match, ${r.full.matches} matches, capped), longest event-loop slice ${r.full.longestSliceCpuMs} ms of CPU (${r.full.longestSliceMs} ms wall clock)\n` +
          `side by side at ${r.quarter.members} members: ${r.quarter.checkedAndIndexedMs} ms (slice ≤ ${r.quarter.longestSliceMs} ms) vs pairing everything ${r.quarter.pairEverythingMs} ms in one slice (${r.quarter.pairsBefore} pairs)\n`,
      );
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
