import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Resource, Visibility } from '../../../../../schema/enums';
import { SharedRecord } from '../shared/shared-record.entity';

/** A capacity figure, optionally attached to one of the member's services. */
@Entity({ tableName: 'capacity' })
export class CapacityRecord extends SharedRecord {
  [OptionalProps]?: 'measuredAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text', nullable: true })
  serviceId?: string | null;

  @Property({ type: 'text' })
  resource!: Resource;

  @Property({ type: 'double' })
  total!: number;

  @Property({ type: 'double' })
  used!: number;

  @Property({ type: 'datetime' })
  measuredAt: Date = new Date();

  /** A stricter level for the numbers (`total`, `used`, `available`) than for the record. */
  @Property({ type: 'text', nullable: true })
  numbersVisibility?: Visibility | null;
}
