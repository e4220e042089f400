import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SharedRecord } from '../shared/shared-record.entity';

/**
 * This member's own confirmation that it takes part in another member's project. Only this
 * member can write it (joinProject / leaveProject); the lead's invitation is the other half.
 * For MEMBERS, `sharedWith` is who may see it (by default the project's lead).
 */
@Entity({ tableName: 'participation' })
export class ParticipationRecord extends SharedRecord {
  [OptionalProps]?: 'confirmedAt' | 'sharedWith' | 'createdAt' | 'updatedAt';

  /** The project's global id, `<lead>:<localId>`. */
  @PrimaryKey({ type: 'text' }) projectId!: string;
  @Property({ type: 'text', nullable: true }) role?: string | null;
  @Property({ type: 'datetime' }) confirmedAt: Date = new Date();
}
