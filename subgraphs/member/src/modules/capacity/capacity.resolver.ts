import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { capacitySchema } from './capacity.schema';
import { ServiceRecord } from '../service/service.entity';
import { toService } from '../service/service.mapper';
import { ServiceType } from '../service/service.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { localIdOf, stripNulls, validateInput } from '../shared/write-input';
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

  @Mutation(() => CapacityType)
  async reportCapacity(@Ctx() ctx: MemberContext, @Arg('input', () => CapacityInput) input: CapacityInput): Promise<CapacityType> {
    requireOwnWrite(ctx);
    const { serviceId: rawServiceId, ...rest } = stripNulls(input);
    const data = validateInput(capacitySchema, rest);
    const serviceId = rawServiceId ? localIdOf(rawServiceId, ctx.member.id) : null;
    const row = await ctx.em.transactional(async (em) => {
      if (serviceId && !(await em.findOne(ServiceRecord, { id: serviceId }))) {
        throw new GraphQLError(`Invalid input: serviceId: no service "${serviceId}"`, { extensions: { code: 'BAD_USER_INPUT', fields: [`serviceId: no service "${serviceId}"`] } });
      }
      const existing = await em.findOne(CapacityRecord, { id: data.id });
      const values = { ...data, serviceId: serviceId ?? existing?.serviceId ?? null, numbersVisibility: data.numbersVisibility ?? null, measuredAt: data.measuredAt ?? new Date() };
      if (existing) return em.assign(existing, values);
      const created = em.create(CapacityRecord, values);
      em.persist(created);
      return created;
    });
    return toCapacity(row, ctx.scope);
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
