import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'yaml';
import type { Visibility } from '../../../../common/contract';
import type { Indicator } from '../../../../common/indicators';
import { CapacityRecord } from '../modules/capacity/capacity.entity';
import { IncidentRecord } from '../modules/incident/incident.entity';
import { ParticipationRecord } from '../modules/participation/participation.entity';
import { ProjectRecord } from '../modules/project/project.entity';
import { ServiceRecord } from '../modules/service/service.entity';
import { SupportNeedRecord, SupportOfferRecord } from '../modules/support/support.entity';

const day = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : undefined);
const omitEmpty = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** Everything the member holds, as a member data file that `member import` reads back. */
export async function exportMemberData(orm: MikroORM, memberId: string): Promise<Record<string, unknown>> {
  const em = orm.em.fork();
  const order = { orderBy: { id: 'asc' as const } };
  const [services, capacity, projects, incidents, offers, needs, participations] = await Promise.all([
    em.find(ServiceRecord, {}, order),
    em.find(CapacityRecord, {}, order),
    em.find(ProjectRecord, {}, order),
    em.find(IncidentRecord, {}, order),
    em.find(SupportOfferRecord, {}, order),
    em.find(SupportNeedRecord, {}, order),
    em.find(ParticipationRecord, {}, { orderBy: { projectId: 'asc' } }),
  ]);
  const cap = (c: CapacityRecord) =>
    omitEmpty({ id: c.id, resource: c.resource, total: Number(c.total), used: Number(c.used), measuredAt: day(c.measuredAt), visibility: c.visibility, numbersVisibility: c.numbersVisibility ?? undefined, sharedWith: c.sharedWith });
  return {
    member: memberId,
    services: services.map((s) =>
      omitEmpty({
        id: s.id, name: s.name, kind: s.kind, description: s.description, languages: s.languages, regions: s.regions, url: s.url ?? undefined,
        software: s.software ?? undefined, status: s.status, acceptingUsers: s.acceptingUsers, visibility: s.visibility, sharedWith: s.sharedWith,
        capacity: capacity.filter((c) => c.serviceId === s.id).map(cap),
      }),
    ),
    capacity: capacity.filter((c) => !c.serviceId).map(cap),
    projects: projects.map((p) =>
      omitEmpty({ id: p.id, name: p.name, area: p.area, status: p.status, summary: p.summary, participants: p.invited, needs: p.needs, startedAt: day(p.startedAt), visibility: p.visibility, sharedWith: p.sharedWith }),
    ),
    incidents: incidents.map((i) =>
      omitEmpty({ id: i.id, kind: i.kind, severity: i.severity, status: i.status, observedAt: day(i.observedAt), summary: i.summary, mitigation: i.mitigation ?? undefined, indicators: i.indicators, visibility: i.visibility, sharedWith: i.sharedWith }),
    ),
    supportOffers: offers.map((o) => ({ id: o.id, kind: o.kind, title: o.title, description: o.description, languages: o.languages, open: o.open, visibility: o.visibility, sharedWith: o.sharedWith })),
    supportNeeds: needs.map((o) => ({ id: o.id, kind: o.kind, title: o.title, description: o.description, languages: o.languages, open: o.open, visibility: o.visibility, sharedWith: o.sharedWith })),
    participations: participations.map((p) => omitEmpty({ projectId: p.projectId, role: p.role ?? undefined, visibility: p.visibility })),
  };
}

export function toYaml(data: Record<string, unknown>): string {
  return stringify(data, { lineWidth: 0 });
}

const MISP_TYPES: Record<Indicator['type'], string> = { IP: 'ip-dst', CIDR: 'ip-dst', DOMAIN: 'domain', URL: 'url', EMAIL: 'email-src', HASH: 'md5', ASN: 'AS' };
const HASH_TYPES: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const TLP: Record<Visibility, string> = { PUBLIC: 'tlp:clear', NETWORK: 'tlp:green', MEMBERS: 'tlp:amber', OWNER: 'tlp:red' };
const THREAT: Record<string, string> = { CRITICAL: '1', HIGH: '1', MEDIUM: '2', LOW: '3' };

/**
 * The member's incidents as MISP events (MISP JSON format): one event per incident, one
 * attribute per indicator with its MISP type, and the TLP tag of the incident's visibility.
 */
export async function exportMisp(orm: MikroORM, memberId: string, opts: { maxVisibility?: Visibility } = {}): Promise<{ response: { Event: Record<string, unknown> }[] }> {
  const rank: Visibility[] = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'];
  const allowed = rank.slice(0, rank.indexOf(opts.maxVisibility ?? 'NETWORK') + 1);
  const incidents = await orm.em.fork().find(IncidentRecord, { visibility: { $in: allowed } }, { orderBy: { observedAt: 'desc' } });
  return {
    response: incidents.map((i) => ({
      Event: {
        info: `[${memberId}] ${i.kind}: ${i.summary.en ?? Object.values(i.summary)[0] ?? i.id}`,
        date: new Date(i.observedAt).toISOString().slice(0, 10),
        threat_level_id: THREAT[i.severity] ?? '4',
        analysis: i.status === 'OPEN' ? '1' : '2',
        distribution: i.visibility === 'PUBLIC' ? '3' : '0',
        Orgc: { name: memberId },
        Tag: [{ name: TLP[i.visibility] }, { name: `infrared:incident-kind="${i.kind.toLowerCase()}"` }],
        Attribute: i.indicators.map((ind) => ({
          type: ind.type === 'HASH' ? HASH_TYPES[ind.value.length] : MISP_TYPES[ind.type],
          category: ind.type === 'HASH' ? 'Payload delivery' : 'Network activity',
          value: ind.value,
          to_ids: true,
          comment: `infrared ${memberId}:${i.id}`,
        })),
      },
    })),
  };
}
