import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root, type ClassType } from 'type-graphql';
import type { MemberContext } from '../../context';
import { connectionTypes, type ConnectionValue } from './connection.type';
import { DEFAULT_PAGE, MAX_PAGE, readPage, type RecordList } from './record-list';

/**
 * The `<field>Connection(…filter, first, after)` root query of a list: the same filter arguments
 * as the plain list, a page at a time. One builder for every kind's lists.
 */
export function connectionResolver(list: RecordList): ClassType {
  const { Connection } = connectionTypes(list.node, list.typeName);

  @Resolver(() => Connection)
  class ListConnectionResolver {
    @Query(() => Connection, {
      name: `${list.field}Connection`,
      description: `\`${list.field}\`, a page at a time (Relay cursor pagination): \`first\` records (default ${DEFAULT_PAGE}, at most ${MAX_PAGE}) after the cursor \`after\`.`,
    })
    async connection(
      @Ctx() ctx: MemberContext,
      @Args(() => list.args) args: object,
      @Arg('first', () => Int, { nullable: true }) first?: number,
      @Arg('after', () => String, { nullable: true }) after?: string,
    ) {
      return readPage(ctx, list, args, first, after);
    }

    @FieldResolver(() => Int)
    totalCount(@Root() connection: ConnectionValue<unknown>): Promise<number> {
      return connection.count();
    }
  }
  return ListConnectionResolver;
}
