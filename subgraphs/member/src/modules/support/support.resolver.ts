import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { SupportKind } from '../../../../../common/contract';
import { localize, translationsList } from '../../../../../common/i18n';
import { globalId, parseGlobalId } from '../../../../../common/ids';
import { findVisible } from '../../access/find-visible';
import { isOwnerCaller, type AccessScope } from '../../access/visibility';
import type { MemberContext } from '../../context';
import { SupportKindEnum } from '../../graphql/enums';
import { LocalizedText } from '../../graphql/localized-text.type';
import { memberRef } from '../member/member.type';
import { MAX_LIST } from '../service/service.repository';
import { SupportNeedRecord, SupportOfferRecord } from './support.entity';
import { SupportNeedType, SupportOfferType, type SupportView } from './support.type';

type SupportRecord = SupportOfferRecord | SupportNeedRecord;

function toSupport<T extends SupportView>(type: new () => T, record: SupportRecord, scope: AccessScope): T {
  return Object.assign(new type(), {
    id: globalId(scope.owner, record.id),
    member: memberRef(scope.owner),
    kind: record.kind,
    title: record.title,
    languages: record.languages,
    open: record.open,
    visibility: record.visibility,
    sharedWith: isOwnerCaller(scope) ? record.sharedWith : null,
    descriptionTexts: record.description,
  });
}

function listSupport(ctx: MemberContext, entity: typeof SupportOfferRecord | typeof SupportNeedRecord, kind?: SupportKind | null, includeClosed?: boolean | null) {
  const where: Record<string, unknown> = {};
  if (kind) where.kind = kind;
  if (!includeClosed) where.open = true;
  return findVisible(ctx.em, entity as typeof SupportOfferRecord, ctx.scope, where, { orderBy: { id: 'asc' }, limit: MAX_LIST });
}

/** Builds the resolver for offers or needs: the two differ only in table and type. */
function supportResolver(type: typeof SupportOfferType, entity: typeof SupportOfferRecord | typeof SupportNeedRecord, listName: 'supportOffers' | 'supportNeeds') {
  @Resolver(() => type)
  class SupportResolver {
    @Query(() => [type], { name: listName, description: 'Solidarity: open ones unless includeClosed.' })
    async list(
      @Ctx() ctx: MemberContext,
      @Arg('kind', () => SupportKindEnum, { nullable: true }) kind?: SupportKind,
      @Arg('includeClosed', () => Boolean, { nullable: true }) includeClosed?: boolean,
    ) {
      return (await listSupport(ctx, entity, kind, includeClosed)).map((r) => toSupport(type as never, r, ctx.scope));
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

export const SupportOfferResolver = supportResolver(SupportOfferType, SupportOfferRecord, 'supportOffers');
export const SupportNeedResolver = supportResolver(SupportNeedType, SupportNeedRecord, 'supportNeeds');

/** `_entities` loaders for offers and needs. */
export function supportLoader(kind: 'offer' | 'need') {
  const entity = kind === 'offer' ? SupportOfferRecord : SupportNeedRecord;
  const type = kind === 'offer' ? SupportOfferType : SupportNeedType;
  return async (ctx: MemberContext, id: string) => {
    const parsed = parseGlobalId(id);
    if (!parsed || parsed.memberId !== ctx.member.id) return null;
    const [row] = await findVisible(ctx.em, entity as typeof SupportOfferRecord, ctx.scope, { id: parsed.localId });
    return row ? toSupport(type as never, row, ctx.scope) : null;
  };
}
