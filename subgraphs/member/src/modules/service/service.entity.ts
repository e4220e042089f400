import { ArrayType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ServiceKind, ServiceStatus, Translations } from '../../../../../schema/enums';
import { SharedRecord } from '../shared/shared-record.entity';

/** A service as the member stores it. Ids are local: the member prefix is added on the way out. */
@Entity({ tableName: 'service' })
export class ServiceRecord extends SharedRecord {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  kind!: ServiceKind;

  @Property({ type: JsonType })
  description: Translations = {};

  @Property({ type: ArrayType })
  languages: string[] = [];

  @Property({ type: ArrayType })
  regions: string[] = [];

  @Property({ type: 'text', nullable: true })
  url?: string | null;

  @Property({ type: 'text', nullable: true })
  software?: string | null;

  @Property({ type: 'text' })
  status!: ServiceStatus;

  @Property({ type: 'boolean' })
  acceptingUsers!: boolean;
}
