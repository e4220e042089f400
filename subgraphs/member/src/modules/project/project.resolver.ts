import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { projectSchema } from './project.schema';
import { localize, translationsList } from '../../../../../common/i18n';
import { LocalizedText } from '../../graphql/localized-text.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { stripNulls, toTranslations, validateInput } from '../shared/write-input';
import { ProjectRecord } from './project.entity';
import { ProjectFilter } from './project.filter';
import { ProjectInput } from './project.input';
import { signedProjectFields, toProject } from './project.mapper';
import { projectList } from './project.list';
import { readList } from '../shared/record-list';
import { ProjectType } from './project.type';

@Resolver(() => ProjectType)
export class ProjectResolver {
  @Query(() => [ProjectType])
  async projects(@Ctx() ctx: MemberContext, @Info() info: GraphQLResolveInfo, @Arg('filter', () => ProjectFilter, { nullable: true }) filter?: ProjectFilter): Promise<ProjectType[]> {
    return readList<ProjectType>(ctx, info, projectList, { filter });
  }

  @Query(() => ProjectType, { nullable: true })
  async project(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<ProjectType | null> {
    return loadProject(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true })
  summary(@Root() project: ProjectType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(project.summaryTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`.",
  })
  attestation(@Root() record: ProjectType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(signedProjectFields(record)) : null;
  }

  @FieldResolver(() => [LocalizedText])
  summaries(@Root() project: ProjectType): LocalizedText[] {
    return translationsList(project.summaryTexts);
  }

  @Mutation(() => ProjectType)
  async upsertProject(@Ctx() ctx: MemberContext, @Arg('input', () => ProjectInput) input: ProjectInput): Promise<ProjectType> {
    requireOwnWrite(ctx);
    const { participants, ...data } = validateInput(projectSchema, { ...stripNulls(input), summary: toTranslations(input.summary) });
    const row = await ctx.em.transactional(async (em) => {
      const existing = await em.findOne(ProjectRecord, { id: data.id });
      const values = { ...data, invited: participants, startedAt: data.startedAt ?? null };
      if (existing) return em.assign(existing, values);
      const created = em.create(ProjectRecord, values);
      em.persist(created);
      return created;
    });
    return toProject(row, ctx.scope);
  }
}

/** A project by global id, or null when it is not this member's, missing or hidden. */
export async function loadProject(ctx: MemberContext, id: string): Promise<ProjectType | null> {
  const row = await loadByGlobalId(ctx, ProjectRecord, id);
  return row ? toProject(row, ctx.scope) : null;
}
