import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { localize, translationsList } from '../../../../../common/i18n';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { LocalizedText } from '../../graphql/localized-text.type';
import { incidentSchema } from './incident.schema';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import { IncidentRecord } from './incident.entity';
import { IncidentInput } from './incident.input';
import { signedIncidentFields, toIncident } from './incident.mapper';
import { indexIndicators } from './incident.repository';
import { incidentList } from './incident.list';
import { readList } from '../shared/record-list';
import { IncidentFilter } from './incident.filter';
import { IncidentType } from './incident.type';

@Resolver(() => IncidentType)
export class IncidentResolver {
  @Query(() => [IncidentType], { description: 'Attack reports, newest first. `filter.indicator` asks every member "has anyone seen this?".' })
  async incidents(@Ctx() ctx: MemberContext, @Info() info: GraphQLResolveInfo, @Arg('filter', () => IncidentFilter, { nullable: true }) filter?: IncidentFilter): Promise<IncidentType[]> {
    return readList<IncidentType>(ctx, info, incidentList, { filter });
  }

  @FieldResolver(() => String, { nullable: true })
  summary(@Root() incident: IncidentType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(incident.summaryTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`.",
  })
  attestation(@Root() record: IncidentType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(signedIncidentFields(record)) : null;
  }

  @FieldResolver(() => [LocalizedText])
  summaries(@Root() incident: IncidentType): LocalizedText[] {
    return translationsList(incident.summaryTexts);
  }

  @Mutation(() => IncidentType, { description: "Reports an attack on the caller's own member (write scope). Indicators are validated and normalised." })
  async reportIncident(@Ctx() ctx: MemberContext, @Arg('input', () => IncidentInput) input: IncidentInput): Promise<IncidentType> {
    requireOwnWrite(ctx);
    const data = validateInput(incidentSchema, {
      ...stripNulls(input),
      summary: toTranslations(input.summary),
    });
    const row = await ctx.em.transactional(async (em) => {
      const existing = await em.findOne(IncidentRecord, { id: data.id });
      const values = { ...data, mitigation: data.mitigation ?? null };
      const record = existing ? em.assign(existing, values) : em.create(IncidentRecord, values);
      em.persist(record);
      await em.flush();
      await indexIndicators(em, record.id, record.indicators);
      return record;
    });
    return toIncident(row, ctx.scope);
  }
}

/** An incident by global id, or null when it is not this member's, missing or hidden. */
export async function loadIncident(ctx: MemberContext, id: string): Promise<IncidentType | null> {
  const row = await loadByGlobalId(ctx, IncidentRecord, id);
  return row ? toIncident(row, ctx.scope) : null;
}
