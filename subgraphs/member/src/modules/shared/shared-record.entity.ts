import { ArrayType, Property } from '@mikro-orm/core';
import type { Visibility } from '../../../../../schema/enums';

/**
 * What every shared record stores about who may see it: its level and, for MEMBERS, the members
 * it is shared with. Not an entity itself: each kind's entity extends it (same columns as before).
 */
export abstract class SharedRecord {
  @Property({ type: 'text' }) visibility!: Visibility;
  @Property({ type: ArrayType }) sharedWith: string[] = [];
}

/** A shared record that keeps the time of its last change. */
export abstract class TimestampedSharedRecord extends SharedRecord {
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
