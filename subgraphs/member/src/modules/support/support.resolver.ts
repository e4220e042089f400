import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { SupportKind } from '../../../../../schema/enums';
import { localize, translationsList } from '../../../../../common/i18n';
import type { MemberContext } from '../../context';
import { SupportKindEnum } from '../../graphql/enums';
import { LocalizedText } from '../../graphql/localized-text.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { toSupport } from './support.mapper';
import { readList, type RecordList } from '../shared/record-list';
import { supportNeedList, supportOfferList } from './support.list';
import { SupportNeedType, SupportOfferType, type SupportView } from './support.type';

/** Builds the resolver for offers or needs: the two differ only in table and type. */
function supportResolver(type: typeof SupportOfferType, list: RecordList) {
  @Resolver(() => type)
  class SupportResolver {
    @Query(() => [type], { name: list.field, description: 'Solidarity: open ones unless includeClosed.' })
    async list(
      @Ctx() ctx: MemberContext,
      @Info() info: GraphQLResolveInfo,
      @Arg('kind', () => SupportKindEnum, { nullable: true }) kind?: SupportKind,
      @Arg('includeClosed', () => Boolean, { nullable: true }) includeClosed?: boolean,
    ) {
      return readList(ctx, info, list, { kind, includeClosed });
    }

    @FieldResolver(() => String, { nullable: true })
    description(@Root() item: SupportView, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
      return localize(item.descriptionTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
    }

    @FieldResolver(() => [LocalizedText])
    descriptions(@Root() item: SupportView): LocalizedText[] {
      return translationsList(item.descriptionTexts);
    }
  }
  return SupportResolver;
}

export const SupportOfferResolver = supportResolver(SupportOfferType, supportOfferList);
export const SupportNeedResolver = supportResolver(SupportNeedType, supportNeedList);

/** An offer by global id, or null when it is not this member's, missing or hidden. */
export async function loadSupportOffer(ctx: MemberContext, id: string) {
  const row = await loadByGlobalId(ctx, SupportOfferRecord, id);
  return row ? toSupport(SupportOfferType as never, row, ctx.scope) : null;
}

/** A need by global id, or null when it is not this member's, missing or hidden. */
export async function loadSupportNeed(ctx: MemberContext, id: string) {
  const row = await loadByGlobalId(ctx, SupportNeedRecord, id);
  return row ? toSupport(SupportNeedType as never, row, ctx.scope) : null;
}
