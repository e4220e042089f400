import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MemberData } from '../../import/member-data.schema';

/** A record as found in a data file that may not be valid: nothing about its shape is assumed. */
export type LooseRecord = Record<string, unknown>;
/** A parsed data file that may not be valid. */
export type LooseFile = Record<string, unknown>;

/** One record of a kind in a data file, with where it is. */
export interface LocatedRecord {
  record: LooseRecord;
  path: (string | number)[];
}

/** A kind's part of the member data file, beside its zod schema. */
export interface DataFilePart {
  /** What one record is called in messages: `duplicate service id "mail"`. */
  readonly label: string;
  /** The field that identifies a record in the file (unique per kind). */
  readonly key: 'id' | 'projectId';
  /** This kind's records in a parsed, possibly invalid file, each with its path. */
  records(file: LooseFile): LocatedRecord[];
  /** Every record of this kind as data-file rows, as `member export` writes them. */
  export(em: EntityManager): Promise<unknown[]>;
  /** The entity `member import` writes this kind's rows to (upserted by `key`). */
  readonly entity: EntityClass<object>;
  /** This kind's rows in a validated file, as entity values. */
  rows(data: MemberData): Record<string, unknown>[];
  /**
   * Runs before `--prune` removes these records (their keys), in the import's transaction: what
   * other records hang on them and must survive (records written through the API) is detached.
   */
  beforePrune?(em: EntityManager, keys: string[]): Promise<void>;
  /** Runs once its rows are written, in the import's transaction (e.g. an index of its own). */
  afterImport?(em: EntityManager, data: MemberData): Promise<void>;
}

/** The entries of a list in a possibly invalid file; anything that is not an object counts as `{}`. */
export function looseList(value: unknown, path: (string | number)[]): LocatedRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map((x, i) => ({ record: x && typeof x === 'object' ? (x as LooseRecord) : {}, path: [...path, i] }));
}

/** Drops absent and null fields, so that an export validates again. */
export function omitEmpty<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** A date as the data file writes it. */
export function isoDate(d: Date | null | undefined): string | undefined {
  return d ? new Date(d).toISOString() : undefined;
}
