import { ArrayType, Property } from '@mikro-orm/core';
import type { Visibility } from '../../../../../schema/enums';

/**
 * What every shared record stores about who may see it: its level and, for MEMBERS, the members
 * it is shared with, and when it was created and last changed. Not an entity itself: each kind's
 * entity extends it.
 *
 * The timestamps are the database's: the change-tracking trigger (db/change-tracking.ts) sets
 * them on every insert and real change, and the ORM never writes them (`persist: false`), so they
 * are never taken from a data file or an input; RecordTimesSubscriber reads them back after a write.
 */
export abstract class SharedRecord {
  @Property({ type: 'text' }) visibility!: Visibility;
  @Property({ type: ArrayType }) sharedWith: string[] = [];
  @Property({ type: 'datetime', persist: false }) createdAt: Date = new Date();
  @Property({ type: 'datetime', persist: false }) updatedAt: Date = new Date();
}

/** Kept for the kinds that named it: every shared record now keeps its timestamps. */
export abstract class TimestampedSharedRecord extends SharedRecord {}
