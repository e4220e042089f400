import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The registry owns `Member` (the gateway's `network` subgraph). A member subgraph only
 * contributes fields to it, through its key.
 */
@ObjectType('Member')
@Directive('@key(fields: "id")')
export class MemberRef {
  @Field(() => ID)
  id!: string;
}

export function memberRef(id: string): MemberRef {
  return Object.assign(new MemberRef(), { id });
}
