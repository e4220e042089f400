import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { localize, translationsList } from '../../../../../common/i18n';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { LocalizedText } from '../../graphql/localized-text.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { replaceRecord } from '../shared/record-writes';
import { localIdOf } from '../shared/write-input';
import { trainingWrites } from './training.writes';
import { TrainingRecord } from './training.entity';
import { TrainingFilter } from './training.filter';
import { TrainingInput } from './training.input';
import { signedTrainingFields, toTraining } from './training.mapper';
import { listTrainings } from './training.repository';
import { TrainingType } from './training.type';

@Resolver(() => TrainingType)
export class TrainingResolver {
  @Query(() => [TrainingType], { description: 'Training and mentoring sessions across the network, ordered by member, then start. `limit` applies after the merge.' })
  async trainings(
    @Ctx() ctx: MemberContext,
    @Arg('filter', () => TrainingFilter, { nullable: true }) filter?: TrainingFilter,
    @Arg('limit', () => Int, { nullable: true }) limit?: number,
  ): Promise<TrainingType[]> {
    return (await listTrainings(ctx.em, ctx.scope, filter ?? {}, limit)).map((r) => toTraining(r, ctx.scope));
  }

  @Query(() => TrainingType, { nullable: true })
  async training(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<TrainingType | null> {
    return loadTraining(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() training: TrainingType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(training.descriptionTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }

  @FieldResolver(() => [LocalizedText])
  descriptions(@Root() training: TrainingType): LocalizedText[] {
    return translationsList(training.descriptionTexts);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`.",
  })
  attestation(@Root() record: TrainingType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(signedTrainingFields(record)) : null;
  }

  @Mutation(() => TrainingType, { description: 'Adds or replaces one of your training sessions (write scope): fields left out take their defaults. To change some fields only, use updateTraining.' })
  async upsertTraining(
    @Ctx() ctx: MemberContext,
    @Arg('input', () => TrainingInput) input: TrainingInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this replacement is based on (CONFLICT when another write came first).' }) expectedVersion?: number,
  ): Promise<TrainingType> {
    return (await replaceRecord(ctx, trainingWrites, input, expectedVersion)) as TrainingType;
  }

  @Mutation(() => Boolean, { description: 'Removes one of your training sessions. False when there was none.' })
  async removeTraining(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    requireOwnWrite(ctx);
    const localId = localIdOf(id, ctx.member.id);
    if (!localId) throw new GraphQLError('That id belongs to another member', { extensions: { code: 'FORBIDDEN' } });
    return ctx.em.transactional(async (em) => (await em.nativeDelete(TrainingRecord, { id: localId })) > 0);
  }
}

/** A training by global id, or null when it is not this member's, missing or hidden. */
export async function loadTraining(ctx: MemberContext, id: string): Promise<TrainingType | null> {
  const row = await loadByGlobalId(ctx, TrainingRecord, id);
  return row ? toTraining(row, ctx.scope) : null;
}

/** `Member.trainings`: the member's whole visible list. */
export async function listMemberTrainings(ctx: MemberContext): Promise<TrainingType[]> {
  return (await listTrainings(ctx.em, ctx.scope)).map((r) => toTraining(r, ctx.scope));
}
