import { Field, Int, ObjectType } from 'type-graphql';

/** What every record type shows about its version (optimistic concurrency). */
// a base class only: never referenced, so not in the schema itself; its field is inherited
@ObjectType('VersionedRecord')
export abstract class VersionedRecordType {
  @Field(() => Int, { description: 'Raised by one on every change. Send it back as `expectedVersion` when you write, so a change made since you read answers CONFLICT instead of being overwritten.' })
  version!: number;
}
