import canonicalize from 'canonicalize';
import type { PrivateJwk } from '../../../../common/auth/keys';
import { attest } from '../../../../common/provenance/attestation';
import type { IncidentType } from '../modules/incident/incident.type';
import type { ProjectType } from '../modules/project/project.type';
import type { ServiceType } from '../modules/service/service.type';

/** Signs records with the member's key, once per distinct content (bounded cache). */
export class Attestor {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly key: PrivateJwk, private readonly memberId: string, private readonly maxEntries = 10_000) {}

  sign(fields: Record<string, unknown>): Promise<string> {
    const cacheKey = canonicalize(fields) ?? '';
    let jws = this.cache.get(cacheKey);
    if (!jws) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      jws = attest(this.key, this.memberId, fields);
      this.cache.set(cacheKey, jws);
    }
    return jws;
  }
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The public fields of a service that an attestation covers. */
export function serviceFields(s: ServiceType): Record<string, unknown> {
  return {
    id: s.id, member: s.member.id, name: s.name, kind: s.kind, description: s.descriptionTexts, languages: s.languages, regions: s.regions,
    url: s.url ?? null, software: s.software ?? null, status: s.status, acceptingUsers: s.acceptingUsers, visibility: s.visibility, updatedAt: iso(s.updatedAt),
  };
}

export function projectFields(p: ProjectType): Record<string, unknown> {
  return {
    id: p.id, lead: p.lead.id, name: p.name, area: p.area, status: p.status, summary: p.summaryTexts, needs: p.needs,
    invited: p.invited.map((m) => m.id), startedAt: iso(p.startedAt), visibility: p.visibility,
  };
}

export function incidentFields(i: IncidentType): Record<string, unknown> {
  return {
    id: i.id, member: i.member.id, kind: i.kind, severity: i.severity, status: i.status, observedAt: iso(i.observedAt),
    summary: i.summaryTexts, mitigation: i.mitigation ?? null, indicators: i.indicators, visibility: i.visibility,
  };
}
