import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SEVERITIES } from '../../../../../common/contract';
import { classifyIndicator, type Indicator } from '../../../../../common/indicators';
import { findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import { MAX_LIST } from '../service/service.repository';
import { IncidentRecord } from './incident.entity';
import type { IncidentFilter } from './incident.type';

/**
 * Incidents whose indicators match a term, found in this member's database with its indexes:
 * exact (type, value) matches, and for an IP also the reported CIDRs that contain it (GiST on inet).
 */
export async function incidentIdsMatching(em: EntityManager, indicator: Indicator): Promise<string[]> {
  const schema = em.config.get('schema');
  const table = `"${schema}"."incident_indicator"`;
  let rows: { incident_id: string }[];
  if (indicator.type === 'IP') {
    rows = await em.getConnection().execute(
      `select distinct incident_id from ${table} where (type = 'IP' and value = ?) or (type = 'CIDR' and net >>= ?::inet)`,
      [indicator.value, indicator.value],
    );
  } else if (indicator.type === 'CIDR') {
    rows = await em.getConnection().execute(
      `select distinct incident_id from ${table} where (type = 'CIDR' and value = ?) or (type = 'IP' and net <<= ?::inet)`,
      [indicator.value, indicator.value],
    );
  } else {
    rows = await em.getConnection().execute(`select distinct incident_id from ${table} where type = ? and value = ?`, [indicator.type, indicator.value]);
  }
  return rows.map((r) => r.incident_id);
}

export async function listIncidents(em: EntityManager, scope: AccessScope, filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
  if (filter.members && !filter.members.includes(scope.owner)) return [];
  const where: FilterQuery<IncidentRecord>[] = [];
  if (filter.kinds?.length) where.push({ kind: { $in: filter.kinds } });
  if (filter.minSeverity) where.push({ severity: { $in: SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity)) } });
  if (filter.since) where.push({ observedAt: { $gte: filter.since } });
  if (filter.indicator) {
    let term: Indicator;
    try {
      term = classifyIndicator(filter.indicator);
    } catch {
      return [];
    }
    const ids = await incidentIdsMatching(em, term);
    if (ids.length === 0) return [];
    where.push({ id: { $in: ids } });
  }
  return findVisible(em, IncidentRecord, scope, where.length ? { $and: where } : {}, { orderBy: { observedAt: 'desc', id: 'asc' }, limit: MAX_LIST });
}

/** Replaces an incident's rows in the indicator index (inside the caller's transaction). */
export async function indexIndicators(em: EntityManager, incidentId: string, indicators: Indicator[]): Promise<void> {
  const table = `"${em.config.get('schema')}"."incident_indicator"`;
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  await conn.execute(`delete from ${table} where incident_id = ?`, [incidentId], 'run', ctx);
  for (const i of indicators) {
    const net = i.type === 'IP' || i.type === 'CIDR' ? i.value : null;
    await conn.execute(`insert into ${table} (incident_id, type, value, net) values (?, ?, ?, ?::inet) on conflict do nothing`, [incidentId, i.type, i.value, net], 'run', ctx);
  }
}
