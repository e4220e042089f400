import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { localize, translationsList } from '../../../../../common/i18n';
import type { MemberContext } from '../../context';
import { LocalizedText } from '../../graphql/localized-text.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { replaceRecord } from '../shared/record-writes';
import { IncidentRecord } from './incident.entity';
import { IncidentInput } from './incident.input';
import { signedIncidentFields, toIncident } from './incident.mapper';
import { incidentWrites } from './incident.writes';
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

  @Mutation(() => IncidentType, {
    description:
      "Reports an attack on the caller's own member (write scope), replacing the whole incident when its id exists: fields left out take their defaults. Indicators are validated and normalised. To change some fields only, use updateIncident.",
  })
  async reportIncident(
    @Ctx() ctx: MemberContext,
    @Arg('input', () => IncidentInput) input: IncidentInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this replacement is based on (CONFLICT when another write came first).' }) expectedVersion?: number,
  ): Promise<IncidentType> {
    return (await replaceRecord(ctx, incidentWrites, input, expectedVersion)) as IncidentType;
  }
}

/** An incident by global id, or null when it is not this member's, missing or hidden. */
export async function loadIncident(ctx: MemberContext, id: string): Promise<IncidentType | null> {
  const row = await loadByGlobalId(ctx, IncidentRecord, id);
  return row ? toIncident(row, ctx.scope) : null;
}
