import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'yaml';
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

export { exportMisp, mispUuids } from './misp-export';
