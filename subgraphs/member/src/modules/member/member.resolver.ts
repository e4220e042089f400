import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MemberContext } from '../../context';
import { toCapacity } from '../capacity/capacity.mapper';
import { listCapacity } from '../capacity/capacity.repository';
import { CapacityType } from '../capacity/capacity.type';
import { toService } from '../service/service.mapper';
import { listServices } from '../service/service.repository';
import { ServiceType } from '../service/service.type';
import { MemberRef } from './member.type';

/**
 * What this member contributes to the registry's `Member`. Every field is nullable, so one member
 * down cannot null out a whole response. A member answers only for itself.
 */
@Resolver(() => MemberRef)
export class MemberResolver {
  @FieldResolver(() => [ServiceType], { nullable: true })
  async services(@Root() member: MemberRef, @Ctx() ctx: MemberContext): Promise<ServiceType[] | null> {
    if (member.id !== ctx.member.id) return null;
    return (await listServices(ctx.em, ctx.scope)).map((r) => toService(r, ctx.scope));
  }

  @FieldResolver(() => [CapacityType], { nullable: true })
  async capacity(@Root() member: MemberRef, @Ctx() ctx: MemberContext): Promise<CapacityType[] | null> {
    if (member.id !== ctx.member.id) return null;
    return (await listCapacity(ctx.em, ctx.scope)).map((r) => toCapacity(r, ctx.scope));
  }
}
