import type { MikroORM } from '@mikro-orm/postgresql';
import type { Visibility } from '../../../../schema/enums';
import type { Indicator } from '../../../../common/indicators';
import { URL_NAMESPACE, uuidV5 } from '../../../../common/uuid-v5';
import { IncidentRecord } from '../modules/incident/incident.entity';

const MISP_TYPES: Record<Indicator['type'], string> = { IP: 'ip-dst', CIDR: 'ip-dst', DOMAIN: 'domain', URL: 'url', EMAIL: 'email-src', HASH: 'md5', ASN: 'AS' };
const HASH_TYPES: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const TLP: Record<Visibility, string> = { PUBLIC: 'tlp:clear', NETWORK: 'tlp:green', MEMBERS: 'tlp:amber', OWNER: 'tlp:red' };
const THREAT: Record<string, string> = { CRITICAL: '1', HIGH: '1', MEDIUM: '2', LOW: '3' };

/** The MISP type of an indicator (hashes by length); every type is in MISP's describeTypes.json. */
export function mispType(indicator: Indicator): string {
  return indicator.type === 'HASH' ? HASH_TYPES[indicator.value.length] : MISP_TYPES[indicator.type];
}

/** The MISP category of an indicator, one that MISP allows for its type. */
export function mispCategory(indicator: Indicator): string {
  return indicator.type === 'HASH' ? 'Payload delivery' : 'Network activity';
}

/**
 * Stable MISP UUIDs, version 5 in a namespace of the network (`urn:infrared:<networkId>`): the
 * member organisation from its member id, an event from the incident's global id, and an
 * attribute from the incident's global id with the indicator's type and value. Exporting the
 * same records again gives the same UUIDs, so MISP updates events instead of duplicating them.
 */
export function mispUuids(networkId: string) {
  const namespace = uuidV5(`urn:infrared:${networkId}`, URL_NAMESPACE);
  return {
    organisation: (memberId: string) => uuidV5(`member:${memberId}`, namespace),
    event: (globalId: string) => uuidV5(`incident:${globalId}`, namespace),
    attribute: (globalId: string, indicator: Indicator) => uuidV5(`indicator:${globalId}:${indicator.type}:${indicator.value}`, namespace),
  };
}

export interface MispExportOptions {
  /** The network id: the namespace of the UUIDs (default `infrared`). */
  networkId?: string;
  /** The most private visibility included (default NETWORK). */
  maxVisibility?: Visibility;
}

/**
 * The member's incidents as MISP events (MISP JSON format, valid against PyMISP's strict event
 * schema): one event per incident, one attribute per indicator with its MISP type, the TLP tag of
 * the incident's visibility, and stable UUIDs for the events, attributes and the organisation.
 * @example
 * const { response } = await exportMisp(orm, 'kafshata', { networkId: 'infrared', maxVisibility: 'PUBLIC' });
 */
export async function exportMisp(orm: MikroORM, memberId: string, opts: MispExportOptions = {}): Promise<{ response: { Event: Record<string, unknown> }[] }> {
  const rank: Visibility[] = ['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'];
  const allowed = rank.slice(0, rank.indexOf(opts.maxVisibility ?? 'NETWORK') + 1);
  const uuids = mispUuids(opts.networkId ?? 'infrared');
  const orgc = { name: memberId, uuid: uuids.organisation(memberId) };
  const incidents = await orm.em.fork().find(IncidentRecord, { visibility: { $in: allowed } }, { orderBy: { observedAt: 'desc', id: 'asc' } });
  return {
    response: incidents.map((i) => {
      const globalId = `${memberId}:${i.id}`;
      return {
        Event: {
          uuid: uuids.event(globalId),
          info: `[${memberId}] ${i.kind}: ${i.summary.en ?? Object.values(i.summary)[0] ?? i.id}`,
          date: new Date(i.observedAt).toISOString().slice(0, 10),
          threat_level_id: THREAT[i.severity] ?? '4',
          analysis: i.status === 'OPEN' ? '1' : '2',
          distribution: i.visibility === 'PUBLIC' ? '3' : '0',
          published: false,
          Orgc: orgc,
          Tag: [{ name: TLP[i.visibility] }, { name: `infrared:incident-kind="${i.kind.toLowerCase()}"` }],
          Attribute: uniqueIndicators(i.indicators).map((indicator) => ({
            uuid: uuids.attribute(globalId, indicator),
            type: mispType(indicator),
            category: mispCategory(indicator),
            value: indicator.value,
            to_ids: true,
            comment: `infrared ${globalId}`,
          })),
        },
      };
    }),
  };
}

/** The same indicator twice in one incident is one MISP attribute (same UUID). */
function uniqueIndicators(indicators: Indicator[]): Indicator[] {
  const seen = new Set<string>();
  return indicators.filter((ind) => !seen.has(`${ind.type}:${ind.value}`) && seen.add(`${ind.type}:${ind.value}`));
}
