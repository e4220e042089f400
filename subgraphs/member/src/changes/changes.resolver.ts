import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { MemberContext } from '../context';
import { ChangePageType, RecordKindEnum } from './change.type';
import { readChanges, type FeedPage } from './read-changes';

@Resolver()
export class ChangesResolver {
  @Query(() => ChangePageType, {
    description:
      'What changed after `since` (a cursor from an earlier page; none: start with every record the caller may see now). A record that becomes hidden from the caller comes as a REMOVE; nothing about a record the caller could never see appears. A cursor older than the member keeps removals for fails with CURSOR_EXPIRED: resync without `since`.',
  })
  changes(
    @Ctx() ctx: MemberContext,
    @Arg('since', () => String, { nullable: true }) since?: string,
    @Arg('kinds', () => [RecordKindEnum], { nullable: true }) kinds?: string[],
    @Arg('first', () => Int, { nullable: true, description: 'Most changes in the page (default 100, at most 500).' }) first?: number,
  ): Promise<FeedPage> {
    return readChanges(ctx.em, ctx.scope, { since, kinds, first });
  }
}
