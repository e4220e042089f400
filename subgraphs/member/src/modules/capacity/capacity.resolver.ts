import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { MemberContext } from '../../context';
import { toService } from '../service/service.mapper';
import { ServiceType } from '../service/service.type';
import { CapacityFilter } from './capacity.filter';
import { toCapacity } from './capacity.mapper';
import { listCapacity } from './capacity.repository';
import { CapacityType } from './capacity.type';

@Resolver(() => CapacityType)
export class CapacityResolver {
  @Query(() => [CapacityType])
  async capacity(@Ctx() ctx: MemberContext, @Arg('filter', () => CapacityFilter, { nullable: true }) filter?: CapacityFilter): Promise<CapacityType[]> {
    const rows = await listCapacity(ctx.em, ctx.scope, filter ?? {});
    return rows.map((r) => toCapacity(r, ctx.scope));
  }

  @FieldResolver(() => ServiceType, { nullable: true, description: 'Null when the capacity is not attached to a service, or the caller may not see the service.' })
  async service(@Root() capacity: CapacityType, @Ctx() ctx: MemberContext): Promise<ServiceType | null> {
    if (!capacity.localServiceId) return null;
    const row = await ctx.loaders.serviceById.load(capacity.localServiceId);
    return row ? toService(row, ctx.scope) : null;
  }
}
