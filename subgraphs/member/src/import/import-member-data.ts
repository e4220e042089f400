import { LineCounter, parseDocument } from 'yaml';
import { yamlLocator } from '../../../../common/yaml-locator';
import type { IssueLocator } from '../../../../common/zod-issues';
import type { z } from 'zod';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { CapacityRecord } from '../modules/capacity/capacity.entity';
import { ProjectRecord } from '../modules/project/project.entity';
import { ServiceRecord } from '../modules/service/service.entity';
import { IncidentRecord } from '../modules/incident/incident.entity';
import { indexIndicators } from '../modules/incident/incident.repository';
import { SupportNeedRecord, SupportOfferRecord } from '../modules/support/support.entity';
import { ParticipationRecord } from '../modules/participation/participation.entity';
import { formatIssues, memberDataSchema, type CapacityData, type MemberData } from './member-data.schema';
import { ImportBusyError, lockMemberImport } from './import-lock';
import { describeDatabaseError } from './import-errors';

export { ImportBusyError } from './import-lock';
export { ImportDatabaseError } from './import-errors';

/** A data file that cannot be imported. `problems` has one line per problem, with its path. */
export class DataFileError extends Error {
  readonly code = 'INVALID_DATA_FILE';
  constructor(readonly problems: string[]) {
    super(`the data file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
    this.name = 'DataFileError';
  }
}

export interface Counts { created: number; updated: number; unchanged: number; removed: number; kept: number }
export type ImportSummary = Record<'services' | 'capacity' | 'projects' | 'incidents' | 'supportOffers' | 'supportNeeds' | 'participations', Counts>;

/**
 * Parses and validates a member data file (YAML or JSON). Throws DataFileError listing every
 * problem with its path, line and column, for example
 * `services[2].kind: expected one of EMAIL, ...; got "MAIL" (line 31, column 11)`.
 */
export function parseMemberData(source: string, expectedMember: string): MemberData {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw new DataFileError(doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return validateMemberData(doc.toJS({ maxAliasCount: 100 }) ?? {}, expectedMember, yamlLocator(doc, lineCounter));
}

/**
 * Validates member data already parsed (from YAML, JSON or code); fills in defaults. With
 * `locate`, each problem also names its line and column in the source.
 */
export function validateMemberData(input: unknown, expectedMember: string, locate?: IssueLocator): MemberData {
  const result = memberDataSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DataFileError(formatIssues(result.error, locate));
  if (result.data.member !== expectedMember) {
    const at = locate?.(['member']);
    throw new DataFileError([`member: the file is for "${result.data.member}", but this subgraph is "${expectedMember}"${at ? ` (line ${at.line}, column ${at.col})` : ''}`]);
  }
  return result.data;
}

export interface ImportOptions {
  prune?: boolean;
  onProgress?: (message: string) => void;
  /** How long to wait for another import of the same member to finish (default 60 s). */
  lockWaitMs?: number;
}

/**
 * Loads a member's data in one transaction: a bad file changes nothing. Records are upserted by
 * local id, so a re-import is idempotent; with `prune`, records absent from the file are removed.
 * The source is validated once, by the same function `member import --check` runs
 * (`parseMemberData` for text, `validateMemberData` for an object).
 * Imports of one member run one at a time (an advisory lock on its schema): a second one waits up
 * to `lockWaitMs` (default 60 s, with a progress line), then fails with ImportBusyError. A refusal
 * by the database is an ImportDatabaseError whose message never holds SQL or data values.
 * @example
 * const summary = await importMemberData(orm, 'kafshata', readFileSync('kafshata.yaml', 'utf8'), { prune: true });
 */
export async function importMemberData(
  orm: MikroORM,
  memberId: string,
  source: string | z.input<typeof memberDataSchema>,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const data = typeof source === 'string' ? parseMemberData(source, memberId) : validateMemberData(source, memberId);
  return writeMemberData(orm, data, opts);
}

/**
 * Writes member data that `parseMemberData` or `validateMemberData` already returned, without
 * validating it again (validated output is not valid input: defaults are filled in).
 * @example
 * const data = parseMemberData(text, 'kafshata'); // what --check runs
 * await writeMemberData(orm, data, { prune: true });
 */
export async function writeMemberData(orm: MikroORM, data: MemberData, opts: ImportOptions = {}): Promise<ImportSummary> {
  const progress = opts.onProgress ?? (() => undefined);
  const capacities: (CapacityData & { serviceId: string | null })[] = [
    ...data.services.flatMap((s) => s.capacity.map((c) => ({ ...c, serviceId: s.id }))),
    ...data.capacity.map((c) => ({ ...c, serviceId: null })),
  ];
  const schema = orm.config.get('schema') ?? 'public';
  return orm.em.fork().transactional(async (em) => {
    await lockMemberImport(em, schema, { waitMs: opts.lockWaitMs ?? 60_000, onProgress: progress });
    progress(`services: ${data.services.length} in file`);
    const services = await upsertAll(em, ServiceRecord, data.services.map((s) => ({
      id: s.id, name: s.name, kind: s.kind, description: s.description, languages: s.languages, regions: s.regions,
      url: s.url ?? null, software: s.software ?? null, status: s.status, acceptingUsers: s.acceptingUsers,
      visibility: s.visibility, sharedWith: s.sharedWith,
    })), false); // pruned after the capacity pass: removing a service cascades to its capacity, which must be counted
    progress(`capacity: ${capacities.length} in file`);
    const capacity = await upsertAll(em, CapacityRecord, capacities.map((c) => ({
      id: c.id, serviceId: c.serviceId, resource: c.resource, total: c.total, used: c.used,
      ...(c.measuredAt ? { measuredAt: c.measuredAt } : {}),
      visibility: c.visibility, numbersVisibility: c.numbersVisibility ?? null, sharedWith: c.sharedWith,
    })), opts.prune);
    if (opts.prune && services.kept > 0) {
      em.remove(await em.find(ServiceRecord, { id: { $nin: data.services.map((s) => s.id) } }));
      await em.flush();
      [services.removed, services.kept] = [services.kept, 0];
    }
    progress(`projects: ${data.projects.length} in file`);
    const projects = await upsertAll(em, ProjectRecord, data.projects.map((p) => ({
      id: p.id, name: p.name, area: p.area, status: p.status, summary: p.summary, invited: p.participants,
      needs: p.needs, startedAt: p.startedAt ?? null, visibility: p.visibility, sharedWith: p.sharedWith,
    })), opts.prune);
    progress(`incidents: ${data.incidents.length} in file`);
    const incidents = await upsertAll(em, IncidentRecord, data.incidents.map((i) => ({ ...i, mitigation: i.mitigation ?? null })), opts.prune);
    for (const incident of data.incidents) await indexIndicators(em, incident.id, incident.indicators);
    progress(`support: ${data.supportOffers.length} offers, ${data.supportNeeds.length} needs in file`);
    const supportOffers = await upsertAll(em, SupportOfferRecord, data.supportOffers, opts.prune);
    const supportNeeds = await upsertAll(em, SupportNeedRecord, data.supportNeeds, opts.prune);
    const participations = await upsertAll(em, ParticipationRecord, data.participations.map((p) => ({ projectId: p.projectId, role: p.role ?? null, visibility: p.visibility })), opts.prune, 'projectId');
    return { services, capacity, projects, incidents, supportOffers, supportNeeds, participations };
  }).catch((err: unknown) => {
    // the driver's own message holds the SQL and every value of the batch: never pass it on
    throw err instanceof ImportBusyError ? err : describeDatabaseError(err);
  });
}

type Row = Record<string, unknown>;

/** Upserts rows by their primary key (`id`, or another column such as `projectId`). */
async function upsertAll<T extends object>(em: EntityManager, entity: new () => T, rows: Row[], prune = false, key = 'id'): Promise<Counts> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, removed: 0, kept: 0 };
  const existing = new Map((await em.find(entity, {} as never)).map((e) => [String((e as Row)[key]), e]));
  for (const row of rows) {
    const current = existing.get(String(row[key]));
    existing.delete(String(row[key]));
    if (!current) {
      em.persist(em.create(entity, row as never));
      counts.created++;
      continue;
    }
    if (differs(current as unknown as Row, row)) {
      em.assign(current, row as never);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const leftover of existing.values()) {
    if (prune) {
      em.remove(leftover);
      counts.removed++;
    } else {
      counts.kept++;
    }
  }
  await em.flush();
  return counts;
}

function differs(current: Row, next: Row): boolean {
  return Object.keys(next).some((key) => normalise(current[key]) !== normalise(next[key]));
}

function normalise(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return 'null';
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return String(Number(value));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
  }
  return JSON.stringify(value);
}

/** `services: 2 created, 1 updated, 3 unchanged, 0 removed` lines. */
export function formatSummary(summary: ImportSummary): string[] {
  return Object.entries(summary).map(([kind, c]) => {
    const parts = [`${c.created} created`, `${c.updated} updated`, `${c.unchanged} unchanged`, `${c.removed} removed`];
    if (c.kept) parts.push(`${c.kept} kept (not in file; use --prune to remove)`);
    return `${kind}: ${parts.join(', ')}`;
  });
}
