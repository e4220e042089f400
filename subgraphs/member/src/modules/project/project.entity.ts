import { ArrayType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Area, ProjectStatus, Translations } from '../../../../../schema/enums';
import { SharedRecord } from '../shared/shared-record.entity';

/** A project this member leads. `invited` lists the members asked to take part. */
@Entity({ tableName: 'project' })
export class ProjectRecord extends SharedRecord {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  area!: Area;

  @Property({ type: 'text' })
  status!: ProjectStatus;

  @Property({ type: JsonType })
  summary: Translations = {};

  @Property({ type: ArrayType })
  invited: string[] = [];

  @Property({ type: ArrayType })
  needs: string[] = [];

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;
}
