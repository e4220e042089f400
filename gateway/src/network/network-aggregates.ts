import type { GatewayContext } from '../context';
import type { MemberQuery } from './member-queries';
import { Slices } from './yield-slices';

/*
 * Aggregates over every member's answer. The fan-out has already checked each answer against the
 * contract and its sender (so `member { id }` is the member that answered and numbers are finite
 * and in range) and capped each member's lists. Here the work stays bounded too: indexes instead
 * of pairing everything, a cap on output, and loops that yield to the event loop between slices.
 */

const PARTICIPATIONS = '{ participations { projectId member { id } } }';
const PROJECTS = '{ projects { id lead { id } invited { id } } }';

/** Network-wide sums of the capacity the caller may see, and which members are missing. */
export async function capacityTotals(query: MemberQuery, ctx: GatewayContext, resource: string) {
  const { data, missing, incomplete } = await query(ctx, 'query($r: [Resource!]) { capacity(filter: { resources: $r }) { total used available member { id } } }', { r: [resource] });
  let total = 0;
  let used = 0;
  let available = 0;
  const contributing = new Set<string>();
  const slices = new Slices();
  for (const c of (data.capacity ?? []) as { total: number | null; used: number | null; available: number | null; member: { id: string } }[]) {
    await slices.tick();
    if (c.total === null || c.used === null) continue;
    total += c.total;
    used += c.used;
    available += c.available ?? Math.max(c.total - c.used, 0);
    contributing.add(c.member.id);
  }
  return { resource, total, used, available, members: contributing.size, missingMembers: missing, complete: missing.length === 0 && incomplete.length === 0 };
}

/** Most keys a summary count list answers (the largest counts first): members choose the keys. */
export const MAX_SUMMARY_KEYS = 200;

function countBy(counts: Map<string, number>): { key: string; count: number }[] {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .slice(0, MAX_SUMMARY_KEYS);
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Counts of the services the caller may see, by kind, region and language. */
export async function networkSummary(query: MemberQuery, ctx: GatewayContext) {
  const { data, missing, incomplete } = await query(ctx, '{ services { kind regions languages member { id } } }');
  const services = (data.services ?? []) as { kind: string; regions: string[]; languages: string[]; member: { id: string } }[];
  const members = new Set<string>();
  const byKind = new Map<string, number>();
  const byRegion = new Map<string, number>();
  const byLanguage = new Map<string, number>();
  const slices = new Slices();
  for (const s of services) {
    await slices.tick();
    members.add(s.member.id);
    bump(byKind, s.kind);
    for (const r of s.regions) {
      await slices.tick();
      bump(byRegion, r);
    }
    for (const l of s.languages) {
      await slices.tick();
      bump(byLanguage, l);
    }
  }
  return {
    services: services.length,
    members: members.size,
    byKind: countBy(byKind),
    byRegion: countBy(byRegion),
    byLanguage: countBy(byLanguage),
    missingMembers: missing,
    complete: missing.length === 0 && incomplete.length === 0,
  };
}

/**
 * `projectId|memberId` for every confirmation the caller may see. The fan-out only lets a member
 * answer participations in its own name, so each one was returned by the participant itself.
 */
async function confirmations(query: MemberQuery, ctx: GatewayContext): Promise<Set<string>> {
  const { data } = await query(ctx, PARTICIPATIONS);
  const out = new Set<string>();
  const slices = new Slices();
  for (const p of (data.participations ?? []) as { projectId: string; member: { id: string } }[]) {
    await slices.tick();
    out.add(`${p.projectId}|${p.member.id}`);
  }
  return out;
}

/** Participants are invited by the lead AND confirmed by themselves, on their own subgraph. */
export async function projectParticipants(query: MemberQuery, ctx: GatewayContext, project: { id: string; invited?: { id: string }[] }) {
  const confirmed = await confirmations(query, ctx);
  return (project.invited ?? []).filter((m) => confirmed.has(`${project.id}|${m.id}`)).map((m) => ({ id: m.id }));
}

/** The projects a member leads or has confirmed (and was invited to), as the caller may see them. */
export async function memberProjects(query: MemberQuery, ctx: GatewayContext, memberId: string) {
  const [{ data }, confirmed] = await Promise.all([query(ctx, PROJECTS), confirmations(query, ctx)]);
  const projects = (data.projects ?? []) as { id: string; lead: { id: string }; invited: { id: string }[] }[];
  const out: { __typename: 'Project'; id: string }[] = [];
  const slices = new Slices();
  for (const p of projects) {
    await slices.tick();
    if (p.lead.id === memberId || (confirmed.has(`${p.id}|${memberId}`) && p.invited.some((m) => m.id === memberId))) out.push({ __typename: 'Project', id: p.id });
  }
  return out;
}

interface SupportItem {
  id: string;
  kind: string;
  languages: string[];
  member: { id: string };
}

const baseLanguage = (tag: string) => tag.split('-')[0].toLowerCase();

/**
 * Open needs paired with offers of the same kind from another member that share a language, in
 * the order of the needs, then of the offers; at most `maxMatches` pairs.
 * Offers are indexed by kind and base language, then by member, so a need only visits the offers
 * it matches (plus one step per member group): the work is bounded by the output, not by
 * needs × offers.
 */
export async function supportMatches(query: MemberQuery, ctx: GatewayContext, kind?: string | null, maxMatches = 1000) {
  const { data } = await query(ctx, 'query($k: SupportKind) { supportOffers(kind: $k) { id kind languages member { id } } supportNeeds(kind: $k) { id kind languages member { id } } }', {
    k: kind ?? null,
  });
  return matchSupport((data.supportNeeds ?? []) as SupportItem[], (data.supportOffers ?? []) as SupportItem[], maxMatches);
}

/** The matching itself (see `supportMatches`), over answers already checked by the fan-out. */
export async function matchSupport(needs: SupportItem[], offers: SupportItem[], maxMatches: number) {
  const slices = new Slices();
  // kind + base language → member → offer positions, ascending
  const index = new Map<string, Map<string, number[]>>();
  const offerLanguages: Set<string>[] = new Array(offers.length);
  for (let i = 0; i < offers.length; i++) {
    await slices.tick();
    const offer = offers[i];
    offerLanguages[i] = new Set(offer.languages.map(baseLanguage));
    for (const language of offerLanguages[i]) {
      const key = `${offer.kind}\n${language}`;
      let byMember = index.get(key);
      if (!byMember) index.set(key, (byMember = new Map()));
      let positions = byMember.get(offer.member.id);
      if (!positions) byMember.set(offer.member.id, (positions = []));
      positions.push(i);
    }
  }
  const matches: { need: { __typename: 'SupportNeed'; id: string }; offer: { __typename: 'SupportOffer'; id: string }; kind: string; languages: string[] }[] = [];
  for (const need of needs) {
    if (matches.length >= maxMatches) break;
    await slices.tick();
    const needLanguages = [...new Set(need.languages.map(baseLanguage))];
    let candidates: number[] = [];
    for (const language of needLanguages) {
      const byMember = index.get(`${need.kind}\n${language}`);
      if (!byMember) continue;
      for (const [member, positions] of byMember) if (member !== need.member.id) candidates = candidates.concat(positions);
    }
    if (needLanguages.length > 1) candidates = [...new Set(candidates)];
    candidates.sort((a, b) => a - b);
    for (const position of candidates) {
      if (matches.length >= maxMatches) break;
      const offer = offers[position];
      const shared = need.languages.filter((l) => offerLanguages[position].has(baseLanguage(l)));
      matches.push({ need: { __typename: 'SupportNeed', id: need.id }, offer: { __typename: 'SupportOffer', id: offer.id }, kind: need.kind, languages: shared });
    }
  }
  return matches;
}
