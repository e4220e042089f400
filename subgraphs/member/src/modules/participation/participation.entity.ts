import { ArrayType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Visibility } from '../../../../../common/contract';

/**
 * This member's own confirmation that it takes part in another member's project. Only this
 * member can write it (joinProject / leaveProject); the lead's invitation is the other half.
 */
@Entity({ tableName: 'participation' })
export class ParticipationRecord {
  [OptionalProps]?: 'confirmedAt' | 'sharedWith';

  /** The project's global id, `<lead>:<localId>`. */
  @PrimaryKey({ type: 'text' }) projectId!: string;
  @Property({ type: 'text', nullable: true }) role?: string | null;
  @Property({ type: 'datetime' }) confirmedAt: Date = new Date();
  @Property({ type: 'text' }) visibility!: Visibility;
  /** For MEMBERS: who may see it (by default the project's lead). */
  @Property({ type: ArrayType }) sharedWith: string[] = [];
}
