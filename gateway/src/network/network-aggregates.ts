import type { GatewayContext } from '../context';
import type { MemberQuery } from './member-queries';

const PARTICIPATIONS = '{ participations { projectId member { id } } }';
const PROJECTS = '{ projects { id lead { id } invited { id } } }';

/** Network-wide sums of the capacity the caller may see, and which members are missing. */
export async function capacityTotals(query: MemberQuery, ctx: GatewayContext, resource: string) {
  const { data, missing } = await query(ctx, 'query($r: [Resource!]) { capacity(filter: { resources: $r }) { total used available member { id } } }', { r: [resource] });
  let total = 0;
  let used = 0;
  let available = 0;
  const contributing = new Set<string>();
  for (const c of (data.capacity ?? []) as { total: number | null; used: number | null; available: number | null; member: { id: string } }[]) {
    if (c.total === null || c.used === null) continue;
    total += c.total;
    used += c.used;
    available += c.available ?? Math.max(c.total - c.used, 0);
    contributing.add(c.member.id);
  }
  return { resource, total, used, available, members: contributing.size, missingMembers: missing, complete: missing.length === 0 };
}

function countBy(values: string[]): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** Counts of the services the caller may see, by kind, region and language. */
export async function networkSummary(query: MemberQuery, ctx: GatewayContext) {
  const { data, missing } = await query(ctx, '{ services { kind regions languages member { id } } }');
  const services = (data.services ?? []) as { kind: string; regions: string[]; languages: string[]; member: { id: string } }[];
  return {
    services: services.length,
    members: new Set(services.map((s) => s.member.id)).size,
    byKind: countBy(services.map((s) => s.kind)),
    byRegion: countBy(services.flatMap((s) => s.regions)),
    byLanguage: countBy(services.flatMap((s) => s.languages)),
    missingMembers: missing,
    complete: missing.length === 0,
  };
}

/** `projectId|memberId` for every confirmation the caller may see. */
async function confirmations(query: MemberQuery, ctx: GatewayContext): Promise<Set<string>> {
  const { data } = await query(ctx, PARTICIPATIONS);
  return new Set(((data.participations ?? []) as { projectId: string; member: { id: string } }[]).map((p) => `${p.projectId}|${p.member.id}`));
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
  return projects
    .filter((p) => p.lead.id === memberId || (p.invited.some((m) => m.id === memberId) && confirmed.has(`${p.id}|${memberId}`)))
    .map((p) => ({ __typename: 'Project', id: p.id }));
}

/** Open needs paired with offers of the same kind from another member, sharing a language. */
export async function supportMatches(query: MemberQuery, ctx: GatewayContext, kind?: string | null) {
  const { data } = await query(
    ctx,
    'query($k: SupportKind) { supportOffers(kind: $k) { id kind languages member { id } } supportNeeds(kind: $k) { id kind languages member { id } } }',
    { k: kind ?? null },
  );
  type Item = { id: string; kind: string; languages: string[]; member: { id: string } };
  const matches = [];
  for (const need of (data.supportNeeds ?? []) as Item[]) {
    for (const offer of (data.supportOffers ?? []) as Item[]) {
      if (offer.kind !== need.kind || offer.member.id === need.member.id) continue;
      const shared = need.languages.filter((l) => offer.languages.some((o) => o.split('-')[0].toLowerCase() === l.split('-')[0].toLowerCase()));
      if (shared.length === 0) continue;
      matches.push({ need: { __typename: 'SupportNeed', id: need.id }, offer: { __typename: 'SupportOffer', id: offer.id }, kind: need.kind, languages: shared });
    }
  }
  return matches;
}
