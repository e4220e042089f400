import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';

@ObjectType('PageInfo', { description: 'Where a page ends, Relay style: pass `endCursor` as `after` for the next page.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether records follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The last edge's cursor; null when the page is empty." })
  endCursor!: string | null;
}

/** An edge and a connection object, as the server hands them to graphql-js. */
export interface EdgeValue<N> {
  node: N;
  cursor: string;
}
export interface ConnectionValue<N> {
  edges: EdgeValue<N>[];
  pageInfo: PageInfo;
  /** Counts the records, run only when the query asks for `totalCount`. */
  count: () => Promise<number>;
  unavailableMembers: string[];
}

/**
 * The `<Type>Edge` and `<Type>Connection` object types of one list, for any node type: every
 * kind's connection has the same shape (TEAM contract, issue 18).
 */
export function connectionTypes(node: ClassType, typeName: string): { Edge: ClassType; Connection: ClassType } {
  @ObjectType(`${typeName}Edge`)
  class Edge {
    @Field(() => node)
    node!: unknown;

    @Field(() => String, { description: 'This position in the list: pass it as `after` to continue after this record.' })
    cursor!: string;
  }

  @ObjectType(`${typeName}Connection`, { description: `A page of ${typeName} records (Relay connection). Through the gateway, a stable merge of the members' pages.` })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many records match the filter that the caller may see (through the gateway: the sum over the members that answered).' })
    totalCount!: number;

    @Field(() => [ID], { description: 'Members that did not answer for this page: their records come on a later page once they answer. A member itself answers an empty list.' })
    unavailableMembers!: string[];
  }
  return { Edge, Connection };
}
