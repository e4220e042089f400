import { LineCounter, parseDocument } from 'yaml';
import { yamlLocator } from '../../../../common/yaml-locator';
import type { IssueLocator } from '../../../../common/zod-issues';
import type { z } from 'zod';
import { LockMode, type EntityClass } from '@mikro-orm/core';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { RECORD_KINDS } from '../modules';
import type { DataFilePart } from '../modules/shared/data-file';
import { formatIssues, memberDataSchema, type MemberData } from './member-data.schema';
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

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  kept: number;
  /** With `prune`: the records not in the file that were left alone because they were written through the API (their ids). */
  keptFromApi?: string[];
}
/** Counts per listed kind (the data file's keys besides `member`). */
export type ImportSummary = Record<Exclude<keyof MemberData, 'member'>, Counts>;

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
 * local id, so a re-import is idempotent, and marked FILE (or API where the file says so); with
 * `prune`, FILE records absent from the file are removed, and API records absent from it are kept
 * and listed (`keptFromApi`).
 * The source is validated once, by the same function `member import --check` runs
 * (`parseMemberData` for text, `validateMemberData` for an object).
 * Imports of one member run one at a time (an advisory lock on its schema): a second one waits up
 * to `lockWaitMs` (default 60 s, with a progress line), then fails with ImportBusyError. A refusal
 * by the database is an ImportDatabaseError whose message never holds SQL or data values.
 * @example
 * const summary = await importMemberData(orm, 'kafshata', readFileSync('kafshata.yaml', 'utf8'), { prune: true });
 */
export async function importMemberData(orm: MikroORM, memberId: string, source: string | z.input<typeof memberDataSchema>, opts: ImportOptions = {}): Promise<ImportSummary> {
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
  const schema = orm.config.get('schema') ?? 'public';
  return orm.em
    .fork()
    .transactional(async (em) => {
      await lockMemberImport(em, schema, { waitMs: opts.lockWaitMs ?? 60_000, onProgress: progress });
      // Every listed kind is written in list order (a service before the capacity under it), then
      // pruned in reverse order: capacity before the services it hangs on, whose removal would
      // otherwise cascade to it uncounted.
      const written: { name: string; key: string; dataFile: DataFilePart; counts: Counts; leftovers: Row[] }[] = [];
      for (const { name, dataFile } of RECORD_KINDS) {
        const rows = withSources(dataFile.rows(data), dataFile.records(data as never), dataFile.key);
        progress(`${name}: ${rows.length} in file`);
        written.push({ name, key: dataFile.key, dataFile, ...(await upsertAll(em, dataFile.entity, rows, dataFile.key)) });
        await dataFile.afterImport?.(em, data);
      }
      // --prune removes only records that came from the file: what was written through the API
      // (a bot's capacity, an incident reported by a script) is left alone and listed
      for (const { name, key, dataFile, counts, leftovers } of [...written].reverse()) {
        if (opts.prune) {
          const fromFile = leftovers.filter((r) => r.source !== 'API');
          const fromApi = leftovers.filter((r) => r.source === 'API');
          await dataFile.beforePrune?.(
            em,
            fromFile.map((r) => String(r[key])),
          );
          em.remove(fromFile);
          await em.flush();
          counts.removed = fromFile.length;
          counts.kept = fromApi.length;
          if (fromApi.length) {
            counts.keptFromApi = fromApi.map((r) => String(r[key])).sort();
            progress(`${name}: ${fromApi.length} not in the file but written through the API, left alone`);
          }
        } else {
          counts.kept = leftovers.length;
        }
      }
      return Object.fromEntries(written.map(({ name, counts }) => [name, counts])) as ImportSummary;
    })
    .catch((err: unknown) => {
      // the driver's own message holds the SQL and every value of the batch: never pass it on
      throw err instanceof ImportBusyError ? err : describeDatabaseError(err);
    });
}

type Row = Record<string, unknown>;

/**
 * Every row the file holds is a FILE record, unless the file marks it `source: API` (what
 * `member export` writes for records written through the API, so that an export re-imported stays
 * what it was). The mark is read from the file's records of the kind (nested ones too).
 */
function withSources(rows: Row[], records: { record: Row }[], key: string): Row[] {
  const api = new Set(records.filter(({ record }) => record.source === 'API').map(({ record }) => String(record[key])));
  return rows.map((row) => ({ ...row, source: api.has(String(row[key])) ? 'API' : 'FILE' }));
}

/** Upserts rows by their primary key (`id`, or another column such as `projectId`); returns the records not in the file. */
async function upsertAll(em: EntityManager, entity: EntityClass<object>, rows: Row[], key: string): Promise<{ counts: Counts; leftovers: Row[] }> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, removed: 0, kept: 0 };
  // the kind's rows stay locked until the import commits: a write through the API to one of them
  // waits for the import and then builds on what it wrote (and the import never overwrites one)
  const existing = new Map((await em.find(entity, {} as never, { lockMode: LockMode.PESSIMISTIC_WRITE })).map((e) => [String((e as Row)[key]), e]));
  for (const row of rows) {
    const current = existing.get(String(row[key]));
    existing.delete(String(row[key]));
    if (!current) {
      em.persist(em.create(entity, row as never));
      counts.created++;
      continue;
    }
    if (differs(current as Row, row)) {
      em.assign(current, row as never);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  await em.flush();
  return { counts, leftovers: [...existing.values()] as Row[] };
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
    if (c.keptFromApi?.length) parts.push(`${c.kept} kept (written through the API, not from the file: ${listIds(c.keptFromApi)})`);
    else if (c.kept) parts.push(`${c.kept} kept (not in file; use --prune to remove)`);
    return `${kind}: ${parts.join(', ')}`;
  });
}

/** At most 20 ids, then how many more. */
function listIds(ids: string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')} and ${ids.length - 20} more`;
}
