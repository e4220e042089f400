import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId } from '../../../../../common/ids';
import type { MemberContext } from '../../context';
import { serviceFields } from '../../provenance/attestor';
import { localize, translationsList } from '../../../../../common/i18n';
import { LocalizedText } from '../../graphql/localized-text.type';
import { CapacityType } from '../capacity/capacity.type';
import { toCapacity } from '../capacity/capacity.mapper';
import { ServiceFilter } from './service.filter';
import { toService } from './service.mapper';
import { listServices } from './service.repository';
import { ServiceType } from './service.type';

@Resolver(() => ServiceType)
export class ServiceResolver {
  @Query(() => [ServiceType], { description: 'Services across the network, ordered by member, then local id. `limit` applies after the merge.' })
  async services(
    @Ctx() ctx: MemberContext,
    @Arg('filter', () => ServiceFilter, { nullable: true }) filter?: ServiceFilter,
    @Arg('limit', () => Int, { nullable: true }) limit?: number,
  ): Promise<ServiceType[]> {
    const rows = await listServices(ctx.em, ctx.scope, filter ?? {}, limit);
    return rows.map((r) => toService(r, ctx.scope));
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


  @FieldResolver(() => String, { nullable: true, description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`." })
  attestation(@Root() record: ServiceType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(serviceFields(record)) : null;
  }
  @FieldResolver(() => [CapacityType])
  async capacity(@Root() service: ServiceType, @Ctx() ctx: MemberContext): Promise<CapacityType[]> {
    const rows = await ctx.loaders.capacityByService.load(service.localId);
    return rows.map((r) => toCapacity(r, ctx.scope));
  }
}

/** A service by global id, or null when it is not this member's, missing or hidden. */
export async function loadService(ctx: MemberContext, id: string): Promise<ServiceType | null> {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.memberId !== ctx.member.id) return null;
  const row = await ctx.loaders.serviceById.load(parsed.localId);
  return row ? toService(row, ctx.scope) : null;
}
