import { ArrayType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { TrainingFormat, Translations } from '../../../../../schema/enums';
import { SharedRecord } from '../shared/shared-record.entity';

/** A training or mentoring session this member offers. Ids are local: the member prefix is added on the way out. */
@Entity({ tableName: 'training' })
export class TrainingRecord extends SharedRecord {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' }) id!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: JsonType }) description: Translations = {};
  @Property({ type: ArrayType }) languages: string[] = [];
  @Property({ type: 'text' }) format!: TrainingFormat;
  @Property({ type: 'text', nullable: true }) region?: string | null;
  @Property({ type: 'datetime' }) startsAt!: Date;
  @Property({ type: 'datetime', nullable: true }) endsAt?: Date | null;
  @Property({ type: 'integer', nullable: true }) seats?: number | null;
}
