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
 * it is shared with; its version (optimistic concurrency) and its source. Not an entity itself:
 * each kind's entity extends it.
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
}

/** A shared record that keeps the time of its last change. */
export abstract class TimestampedSharedRecord extends SharedRecord {
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
