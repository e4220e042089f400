import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MemberContext } from '../../context';
import { ServiceRecord } from '../service/service.entity';
import { toService } from '../service/service.mapper';
import { ServiceType } from '../service/service.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { replaceRecord } from '../shared/record-writes';
import { capacityWrites } from './capacity.writes';
import { CapacityRecord } from './capacity.entity';
import { CapacityFilter } from './capacity.filter';
import { CapacityInput } from './capacity.input';
import { toCapacity } from './capacity.mapper';
import { capacityList } from './capacity.list';
import { listCapacity } from './capacity.repository';
import { readList } from '../shared/record-list';
import { CapacityType } from './capacity.type';

@Resolver(() => CapacityType)
export class CapacityResolver {
  @Query(() => [CapacityType])
  async capacity(@Ctx() ctx: MemberContext, @Info() info: GraphQLResolveInfo, @Arg('filter', () => CapacityFilter, { nullable: true }) filter?: CapacityFilter): Promise<CapacityType[]> {
    return readList<CapacityType>(ctx, info, capacityList, { filter });
  }

  @FieldResolver(() => ServiceType, { nullable: true, description: 'Null when the capacity is not attached to a service, or the caller may not see the service.' })
  async service(@Root() capacity: CapacityType, @Ctx() ctx: MemberContext): Promise<ServiceType | null> {
    if (!capacity.localServiceId) return null;
    const row = await ctx.loaders.byId(ServiceRecord).load(capacity.localServiceId);
    return row ? toService(row, ctx.scope) : null;
  }

  @Mutation(() => CapacityType, {
    description:
      'Reports a capacity figure (write scope), replacing the whole record when its id exists; without serviceId it stays attached where it was. To change some fields only (such as `used`), use updateCapacity.',
  })
  async reportCapacity(
    @Ctx() ctx: MemberContext,
    @Arg('input', () => CapacityInput) input: CapacityInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this replacement is based on (CONFLICT when another write came first).' }) expectedVersion?: number,
  ): Promise<CapacityType> {
    return (await replaceRecord(ctx, capacityWrites, input, expectedVersion)) as CapacityType;
  }
}

/** A capacity figure by global id, or null when it is not this member's, missing or hidden. */
export async function loadCapacity(ctx: MemberContext, id: string): Promise<CapacityType | null> {
  const row = await loadByGlobalId(ctx, CapacityRecord, id);
  return row ? toCapacity(row, ctx.scope) : null;
}

/** `Member.capacity`: the member's whole visible list. */
export async function listMemberCapacity(ctx: MemberContext): Promise<CapacityType[]> {
  return (await listCapacity(ctx.em, ctx.scope)).map((r) => toCapacity(r, ctx.scope));
}
