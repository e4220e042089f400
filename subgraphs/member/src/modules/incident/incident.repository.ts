import { updatedSinceWhere } from '../shared/record-times.type';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SEVERITIES } from '../../../../../schema/enums';
import { classifyIndicator, type Indicator } from '../../../../../common/indicators';
import type { AccessScope } from '../../access/visibility';
import { IncidentRecord } from './incident.entity';
import type { IncidentFilter } from './incident.filter';

/**
 * The indicator search as a condition on `incident`, for the one statement that also applies the
 * caller's visibility: exact (type, value) matches, and for an IP also the reported CIDRs that
 * contain it (GiST on inet). It is never run as a step of its own: a first query that found
 * matches before visibility was applied would cost one more round trip exactly when a hidden
 * incident matches, and that difference in time is an existence oracle (see docs/security-model.md).
 */
export function indicatorCondition(schema: string, indicator: Indicator): FilterQuery<IncidentRecord> {
  const table = `"${schema}"."incident_indicator"`;
  let match: string;
  let params: unknown[];
  if (indicator.type === 'IP') {
    match = `(ii.type = 'IP' and ii.value = ?) or (ii.type = 'CIDR' and ii.net >>= ?::inet)`;
    params = [indicator.value, indicator.value];
  } else if (indicator.type === 'CIDR') {
    match = `(ii.type = 'CIDR' and ii.value = ?) or (ii.type = 'IP' and ii.net <<= ?::inet)`;
    params = [indicator.value, indicator.value];
  } else {
    match = `ii.type = ? and ii.value = ?`;
    params = [indicator.type, indicator.value];
  }
  const exists = raw((alias: string) => `exists (select 1 from ${table} ii where ii.incident_id = ${alias}.id and (${match}))`, params);
  return { [exists]: true } as FilterQuery<IncidentRecord>;
}

/** What an incidents filter selects, as conditions; null when nothing at this member can match. */
export function incidentWhere(scope: AccessScope, filter: IncidentFilter, em: EntityManager): FilterQuery<IncidentRecord>[] | null {
  if (filter.members && !filter.members.includes(scope.owner)) return null;
  const where: FilterQuery<IncidentRecord>[] = [...updatedSinceWhere(filter.updatedSince)];
  if (filter.kinds?.length) where.push({ kind: { $in: filter.kinds } });
  if (filter.minSeverity) where.push({ severity: { $in: SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity)) } });
  if (filter.since) where.push({ observedAt: { $gte: filter.since } });
  if (filter.indicator) {
    let term: Indicator;
    try {
      term = classifyIndicator(filter.indicator);
    } catch {
      return null;
    }
    where.push(indicatorCondition(em.config.get('schema') as string, term));
  }
  return where;
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
