import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Field, ID, InputType } from 'type-graphql';
import type { IncidentKind, IncidentStatus, Severity, Visibility } from '../../../../../common/contract';
import { localize, translationsList } from '../../../../../common/i18n';
import { parseGlobalId } from '../../../../../common/ids';
import { findVisible } from '../../access/find-visible';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { incidentFields } from '../../provenance/attestor';
import { IncidentKindEnum, IncidentStatusEnum, SeverityEnum, VisibilityEnum } from '../../graphql/enums';
import { LocalizedText } from '../../graphql/localized-text.type';
import { incidentSchema } from '../../import/member-data.schema';
import { toTranslations, validateInput } from '../writes/validate-input';
import { LocalizedTextInput } from '../writes/write.inputs';
import { IncidentRecord } from './incident.entity';
import { toIncident } from './incident.mapper';
import { indexIndicators, listIncidents } from './incident.repository';
import { IncidentFilter, IncidentType, IndicatorInput } from './incident.type';

@InputType('IncidentInput', { description: 'Takes a local id: the member prefix is implied. Visibility defaults to NETWORK (TLP:GREEN).' })
export class IncidentInput {
  @Field(() => ID) id!: string;
  @Field(() => IncidentKindEnum) kind!: IncidentKind;
  @Field(() => SeverityEnum) severity!: Severity;
  @Field(() => IncidentStatusEnum, { nullable: true }) status?: IncidentStatus;
  @Field(() => Date) observedAt!: Date;
  @Field(() => [LocalizedTextInput], { nullable: true }) summary?: LocalizedTextInput[];
  @Field(() => String, { nullable: true }) mitigation?: string;
  @Field(() => [IndicatorInput], { nullable: true }) indicators?: IndicatorInput[];
  @Field(() => VisibilityEnum, { nullable: true }) visibility?: Visibility;
  @Field(() => [ID], { nullable: true }) sharedWith?: string[];
}

@Resolver(() => IncidentType)
export class IncidentResolver {
  @Query(() => [IncidentType], { description: 'Attack reports, newest first. `filter.indicator` asks every member "has anyone seen this?".' })
  async incidents(@Ctx() ctx: MemberContext, @Arg('filter', () => IncidentFilter, { nullable: true }) filter?: IncidentFilter): Promise<IncidentType[]> {
    return (await listIncidents(ctx.em, ctx.scope, filter ?? {})).map((r) => toIncident(r, ctx.scope));
  }

  @FieldResolver(() => String, { nullable: true })
  summary(@Root() incident: IncidentType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(incident.summaryTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }


  @FieldResolver(() => String, { nullable: true, description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`." })
  attestation(@Root() record: IncidentType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(incidentFields(record)) : null;
  }
  @FieldResolver(() => [LocalizedText])
  summaries(@Root() incident: IncidentType): LocalizedText[] {
    return translationsList(incident.summaryTexts);
  }

  @Mutation(() => IncidentType, { description: "Reports an attack on the caller's own member (write scope). Indicators are validated and normalised." })
  async reportIncident(@Ctx() ctx: MemberContext, @Arg('input', () => IncidentInput) input: IncidentInput): Promise<IncidentType> {
    requireOwnWrite(ctx);
    const data = validateInput(incidentSchema, {
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)),
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

export async function loadIncident(ctx: MemberContext, id: string): Promise<IncidentType | null> {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.memberId !== ctx.member.id) return null;
  const [row] = await listByIds(ctx, [parsed.localId]);
  return row ? toIncident(row, ctx.scope) : null;
}

function listByIds(ctx: MemberContext, ids: string[]): Promise<IncidentRecord[]> {
  return findVisible(ctx.em, IncidentRecord, ctx.scope, { id: { $in: ids } });
}
