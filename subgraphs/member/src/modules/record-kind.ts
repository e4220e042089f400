import type { EntityClass } from '@mikro-orm/core';
import type { ClassType, NonEmptyArray } from 'type-graphql';
import type { MemberContext } from '../context';
import type { DataFilePart } from './shared/data-file';
import type { RecordWrites } from './shared/record-writes';
import type { FeedPart } from './shared/feed-part';
import type { RecordList } from './shared/record-list';

/** Resolves a `_entities` representation of this kind: the record, or null when missing or hidden. */
export type ReferenceResolver = (ctx: MemberContext, id: string) => Promise<unknown>;

/**
 * A list a kind contributes to the registry's `Member` (`Member.services`): the member's whole
 * visible list of that kind. The field is nullable, and a member answers only for itself.
 */
export interface MemberField {
  /** The field's name on `Member`. */
  readonly name: string;
  /** The kind's GraphQL type (the list's item type). */
  readonly type: ClassType;
  /** Every record of the kind this member holds that the request's caller may see. */
  list(ctx: MemberContext): Promise<unknown[]>;
}

/**
 * Everything the member subgraph needs to know about one kind of record. Every part is required,
 * so a kind cannot be listed in `modules/index.ts` without all of them, and nothing outside the
 * list serves a kind: the ORM setup, the schema build and the reference resolution iterate it.
 */
export interface RecordKind {
  /** Its name in the data file and in import summaries, e.g. `services`. */
  readonly name: string;
  /** The MikroORM entities that store it (their tables come from the committed migrations). */
  readonly entities: readonly EntityClass<object>[];
  /** Its type-graphql resolvers: queries, writes and field resolvers. */
  readonly resolvers: NonEmptyArray<ClassType>;
  /**
   * Its root lists: each is served as the plain list and as its `…Connection` (cursor pages),
   * both built by modules/shared from this one description.
   */
  readonly lists: readonly RecordList[];
  /** `__resolveReference` per federated type name it owns (empty when it has no `@key` type). */
  readonly references: Readonly<Record<string, ReferenceResolver>>;
  /** Its list on `Member` (`Member.<name>`), or null when the kind adds none. */
  readonly memberField: MemberField | null;
  /** The fields an attestation covers, per type name it signs (empty when it signs nothing). */
  readonly signedFields: Readonly<Record<string, (view: never) => Record<string, unknown>>>;
  /** Its part of the member data file: its records there (for duplicate checks) and its export rows. */
  readonly dataFile: DataFilePart;
  /**
   * How it is written through the API (its full write and the generic partial update
   * `update<Type>(id, patch, expectedVersion)`), or null when the API does not write it.
   */
  readonly writes: RecordWrites | null;
  /** Its place in the change feed: its `RecordKind` value and GraphQL type (changes/). */
  readonly feed: FeedPart;
}

/** Declares a kind with its type checked against `RecordKind`. */
export function recordKind<K extends RecordKind>(kind: K): K {
  return kind;
}
