import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId } from '../../../../../common/ids';
import type { MemberContext } from '../../context';
import { projectFields } from '../../provenance/attestor';
import { localize, translationsList } from '../../../../../common/i18n';
import { LocalizedText } from '../../graphql/localized-text.type';
import { ProjectFilter } from './project.filter';
import { toProject } from './project.mapper';
import { listProjects } from './project.repository';
import { ProjectType } from './project.type';

@Resolver(() => ProjectType)
export class ProjectResolver {
  @Query(() => [ProjectType])
  async projects(@Ctx() ctx: MemberContext, @Arg('filter', () => ProjectFilter, { nullable: true }) filter?: ProjectFilter): Promise<ProjectType[]> {
    const rows = await listProjects(ctx.em, ctx.scope, filter ?? {});
    return rows.map((r) => toProject(r, ctx.scope));
  }

  @Query(() => ProjectType, { nullable: true })
  async project(@Ctx() ctx: MemberContext, @Arg('id', () => ID) id: string): Promise<ProjectType | null> {
    return loadProject(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true })
  summary(@Root() project: ProjectType, @Ctx() ctx: MemberContext, @Arg('lang', () => String, { nullable: true }) lang?: string): string | null {
    return localize(project.summaryTexts, { lang, acceptLanguage: ctx.acceptLanguage, memberLanguages: ctx.member.languages });
  }


  @FieldResolver(() => String, { nullable: true, description: "The member's signature over this record's public fields (compact JWS over RFC 8785 canonical JSON), or null when the member signs nothing. Check it with `infrared verify`." })
  attestation(@Root() record: ProjectType, @Ctx() ctx: MemberContext): Promise<string> | null {
    return ctx.attestor ? ctx.attestor.sign(projectFields(record)) : null;
  }
  @FieldResolver(() => [LocalizedText])
  summaries(@Root() project: ProjectType): LocalizedText[] {
    return translationsList(project.summaryTexts);
  }
}

export async function loadProject(ctx: MemberContext, id: string): Promise<ProjectType | null> {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.memberId !== ctx.member.id) return null;
  const row = await ctx.loaders.projectById.load(parsed.localId);
  return row ? toProject(row, ctx.scope) : null;
}
