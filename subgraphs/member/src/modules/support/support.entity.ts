import { ArrayType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { SupportKind, Translations } from '../../../../../schema/enums';
import { SharedRecord } from '../shared/shared-record.entity';

/** What an offer and a need have in common (solidarity: funding, training, hosting …). */
export abstract class SupportRecord extends SharedRecord {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'open';

  @PrimaryKey({ type: 'text' }) id!: string;
  @Property({ type: 'text' }) kind!: SupportKind;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: JsonType }) description: Translations = {};
  @Property({ type: ArrayType }) languages: string[] = [];
  /** Closed offers and needs stay on record but are not matched. */
  @Property({ type: 'boolean' }) open: boolean = true;
}

@Entity({ tableName: 'support_offer' })
export class SupportOfferRecord extends SupportRecord {}

@Entity({ tableName: 'support_need' })
export class SupportNeedRecord extends SupportRecord {}
