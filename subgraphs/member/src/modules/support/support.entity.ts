import { ArrayType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { SupportKind, Translations, Visibility } from '../../../../../common/contract';

/** What an offer and a need have in common (solidarity: funding, training, hosting …). */
abstract class SupportRecord {
  [OptionalProps]?: 'updatedAt' | 'open';

  @PrimaryKey({ type: 'text' }) id!: string;
  @Property({ type: 'text' }) kind!: SupportKind;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: JsonType }) description: Translations = {};
  @Property({ type: ArrayType }) languages: string[] = [];
  /** Closed offers and needs stay on record but are not matched. */
  @Property({ type: 'boolean' }) open: boolean = true;
  @Property({ type: 'text' }) visibility!: Visibility;
  @Property({ type: ArrayType }) sharedWith: string[] = [];
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

@Entity({ tableName: 'support_offer' })
export class SupportOfferRecord extends SupportRecord {}

@Entity({ tableName: 'support_need' })
export class SupportNeedRecord extends SupportRecord {}
