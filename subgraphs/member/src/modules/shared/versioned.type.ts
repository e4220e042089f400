import { Field, Int, ObjectType } from 'type-graphql';
import { CREATED_AT, UPDATED_AT } from './record-times.type';

/** What every record type shows about its version (optimistic concurrency) and its database-set times (change feed). */
// a base class only: never referenced, so not in the schema itself; its fields are inherited
@ObjectType('VersionedRecord')
export abstract class VersionedRecordType {
  @Field(() => Int, { description: 'Raised by one on every change. Send it back as `expectedVersion` when you write, so a change made since you read answers CONFLICT instead of being overwritten.' })
  version!: number;
  @Field(() => Date, { description: CREATED_AT }) createdAt!: Date;
  @Field(() => Date, { description: UPDATED_AT }) updatedAt!: Date;
}
