import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MemberContext } from '../../context';
import { localize, translationsList } from '../../../../../common/i18n';
import { LocalizedText } from '../../graphql/localized-text.type';
import { loadByGlobalId } from '../shared/load-by-global-id';
import { replaceRecord } from '../shared/record-writes';
import { projectWrites } from './project.writes';
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

  @Mutation(() => ProjectType, { description: 'Creates or replaces one of your projects (write scope): fields left out take their defaults. To change some fields only, use updateProject.' })
  async upsertProject(
    @Ctx() ctx: MemberContext,
    @Arg('input', () => ProjectInput) input: ProjectInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The version this replacement is based on (CONFLICT when another write came first).' }) expectedVersion?: number,
  ): Promise<ProjectType> {
    return (await replaceRecord(ctx, projectWrites, input, expectedVersion)) as ProjectType;
  }
}

/** A project by global id, or null when it is not this member's, missing or hidden. */
export async function loadProject(ctx: MemberContext, id: string): Promise<ProjectType | null> {
  const row = await loadByGlobalId(ctx, ProjectRecord, id);
  return row ? toProject(row, ctx.scope) : null;
}
