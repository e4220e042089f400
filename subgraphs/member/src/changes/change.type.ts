import { createUnionType, Field, ID, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import type { Severity } from '../../../../schema/enums';
import { SeverityEnum } from '../graphql/enums';
import { RECORD_KINDS } from '../modules';
import type { ChangeOperation } from './read-changes';

/** One value per kind in RECORD_KINDS, so a new kind is in the feed by being in the list. */
export const RecordKindEnum = Object.fromEntries(RECORD_KINDS.map((k) => [k.feed.kind, k.feed.kind])) as Record<string, string>;
registerEnumType(RecordKindEnum, { name: 'RecordKind', description: 'A kind of record, as the change feed names it.' });

export const ChangeOperationEnum = { UPSERT: 'UPSERT', REMOVE: 'REMOVE' } as const;
registerEnumType(ChangeOperationEnum, {
  name: 'ChangeOperation',
  description: 'UPSERT: the record is now as `record` says (create or replace). REMOVE: forget the record (deleted, or no longer visible to this caller).',
});

export const ChangeRecordUnion = createUnionType({
  name: 'ChangeRecord',
  description: 'The record a change is about, as the caller may see it now.',
  types: () => RECORD_KINDS.map((k) => k.feed.type) as unknown as [ClassType, ...ClassType[]],
});

@ObjectType('Change', { description: 'One change to one record, as the caller may see it.' })
export class ChangeType {
  @Field(() => String, { description: 'Resume from just after this change (opaque).' }) cursor!: string;
  @Field(() => RecordKindEnum) kind!: string;
  @Field(() => ID, { description: 'The record’s global id, `<member>:<localId>`.' }) id!: string;
  @Field(() => ChangeOperationEnum) operation!: ChangeOperation;
  @Field(() => Date, { description: 'When the member stored the change.' }) at!: Date;
  @Field(() => ID, { description: 'The member that holds the record.' }) member!: string;
  @Field(() => ChangeRecordUnion, { nullable: true, description: 'For UPSERT: the record now. Null for REMOVE.' }) record?: object | null;
  @Field(() => SeverityEnum, { nullable: true, description: 'For INCIDENT upserts: the severity (to filter on); null otherwise.' }) severity?: Severity | null;
}

@ObjectType('ChangePage', { description: 'A page of the change feed.' })
export class ChangePageType {
  @Field(() => [ChangeType]) changes!: ChangeType[];
  @Field(() => String, { description: 'Pass as `since` for the next page (opaque; it belongs to the caller that got it).' }) cursor!: string;
  @Field(() => Boolean, { description: 'More changes may follow right away: ask again with `cursor`.' }) hasMore!: boolean;
}
