import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { localize, translationsList } from '../../../../../common/i18n';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { LocalizedText } from '../../graphql/localized-text.type';
import { CapacityType } from '../capacity/capacity.type';
import { toCapacity } from '../capacity/capacity.mapper';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { replaceRecord } from '../shared/record-writes';
import { localIdOf } from '../shared/write-input';
import { serviceWrites } from './service.writes';
import { ServiceRecord } from './service.entity';
import { ServiceFilter } from './service.filter';
import { ServiceInput } from './service.input';
import { signedServiceFields, toService } from './service.mapper';
import { serviceList } from './service.list';
import { listServices } from './service.repository';
import { readList } from '../shared/record-list';
import { ServiceType } from './service.type';

@Resolver(() => ServiceType)
export class ServiceResolver {
  @Query(() => [ServiceType], { description: 'Services across the network, ordered by member, then local id. `limit` applies after the merge.' })
  async services(
    @Ctx() ctx: MemberContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ServiceFilter, { nullable: true }) filter?: ServiceFilter,
    @Arg('limit', () => Int, { nullable: true }) limit?: number,
  ): Promise<ServiceType[]> {
    return readList<ServiceType>(ctx, info, serviceList, { filter }, limit);
  }

  @Query(() => ServiceType, { nullable: true })
  async service(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<ServiceType | null> {
    return loadService(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() service: ServiceType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(service.descriptionTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }

  @FieldResolver(() => [LocalizedText])
  descriptions(@Root() service: ServiceType): LocalizedText[] {
    return translationsList(service.descriptionTexts);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`.",
  })
  attestation(@Root() record: ServiceType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(signedServiceFields(record)) : null;
  }

  @FieldResolver(() => [CapacityType])
  async capacity(@Root() service: ServiceType, @Ctx() ctx: MemberContext): Promise<CapacityType[]> {
    const rows = await ctx.loaders.capacityByService.load(service.localId);
    return rows.map((r) => toCapacity(r, ctx.scope));
  }

  @Mutation(() => ServiceType, { description: 'Creates or replaces one of your services (write scope): fields left out take their defaults. To change some fields only, use updateService.' })
  async upsertService(
    @Ctx() ctx: MemberContext,
    @Arg('input', () => ServiceInput) input: ServiceInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this replacement is based on (CONFLICT when another write came first).' }) expectedVersion?: number,
  ): Promise<ServiceType> {
    return (await replaceRecord(ctx, serviceWrites, input, expectedVersion)) as ServiceType;
  }

  @Mutation(() => Boolean, { description: 'Removes one of your services (and its capacity). False when there was none.' })
  async removeService(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    requireOwnWrite(ctx);
    const localId = localIdOf(id, ctx.member.id);
    if (!localId) throw new GraphQLError('That id belongs to another member', { extensions: { code: 'FORBIDDEN' } });
    return ctx.em.transactional(async (em) => (await em.nativeDelete(ServiceRecord, { id: localId })) > 0);
  }
}

/** A service by global id, or null when it is not this member's, missing or hidden. */
export async function loadService(ctx: MemberContext, id: string): Promise<ServiceType | null> {
  const row = await loadByGlobalId(ctx, ServiceRecord, id);
  return row ? toService(row, ctx.scope) : null;
}

/** `Member.services`: the member's whole visible list. */
export async function listMemberServices(ctx: MemberContext): Promise<ServiceType[]> {
  return (await listServices(ctx.em, ctx.scope)).map((r) => toService(r, ctx.scope));
}
