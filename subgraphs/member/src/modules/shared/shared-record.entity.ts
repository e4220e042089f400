import { ArrayType, Property, type Opt } from '@mikro-orm/core';
import type { Visibility } from '../../../../../schema/enums';

/**
 * Where a record was last written from: `FILE` by `member import` (the member's data file), `API`
 * by a mutation (a bot, a script, the dashboard). `member import --prune` removes only FILE
 * records that are no longer in the file; API records survive re-imports.
 */
export const RECORD_SOURCES = ['FILE', 'API'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

/**
 * What every shared record stores about who may see it: its level and, for MEMBERS, the members
 * it is shared with; its version (optimistic concurrency), its source (data file or API), and when
 * it was created and last changed. Not an entity itself: each kind's entity extends it.
 *
 * The timestamps are the database's: the change-tracking trigger (db/change-tracking.ts) sets
 * them on every insert and real change, and the ORM never writes them (`persist: false`), so they
 * are never taken from a data file or an input; RecordTimesSubscriber reads them back after a write.
 */
export abstract class SharedRecord {
  @Property({ type: 'text' }) visibility!: Visibility;
  @Property({ type: ArrayType }) sharedWith: string[] = [];
  /**
   * Raised by one on every change (MikroORM's version property: each UPDATE is conditional on the
   * version it read, so a lost update fails instead of overwriting). Clients send it back as
   * `expectedVersion`.
   */
  @Property({ type: 'integer', version: true }) version!: number & Opt;
  @Property({ type: 'text' }) source: RecordSource & Opt = 'API';
  @Property({ type: 'datetime', persist: false }) createdAt: Date = new Date();
  @Property({ type: 'datetime', persist: false }) updatedAt: Date = new Date();
}

/** Kept for the kinds that named it: every shared record now keeps its timestamps. */
export abstract class TimestampedSharedRecord extends SharedRecord {}
