import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { Visibility } from '../../../../../schema/enums';
import { parseGlobalId } from '../../../../../common/ids';
import { findVisible } from '../../access/find-visible';
import { requireOwnWrite } from '../../access/require-write';
import type { MemberContext } from '../../context';
import { VisibilityEnum } from '../../graphql/enums';
import { ProjectType } from '../project/project.type';
import { ParticipationRecord } from './participation.entity';
import { defaultParticipationSharedWith } from './participation.schema';
import { participationList } from './participation.list';
import { readList } from '../shared/record-list';
import { ParticipationType } from './participation.type';
import { toParticipation } from './participation.mapper';

/**
 * Consent, recorded at the participant: a member appears in a project's participants only when
 * the lead invited it AND it confirmed here, on its own subgraph. Either side can withdraw.
 */
@Resolver()
export class ParticipationResolver {
  @Query(() => [ParticipationType], { description: "This member's confirmed participations in other members' projects." })
  async participations(@Ctx() ctx: MemberContext, @Info() info: GraphQLResolveInfo): Promise<ParticipationType[]> {
    return readList<ParticipationType>(ctx, info, participationList, {});
  }

  @Mutation(() => ProjectType, { description: "Confirms the caller's own member takes part in another member's project (write scope). The gateway answers with the project as its lead shows it." })
  async joinProject(
    @Ctx() ctx: MemberContext,
    @Arg('projectId', () => ID) projectId: string,
    @Arg('role', () => String, { nullable: true }) role?: string,
    @Arg('visibility', () => VisibilityEnum, { nullable: true, description: 'Who may see this participation. Default NETWORK.' }) visibility?: Visibility,
  ): Promise<ProjectType> {
    requireOwnWrite(ctx);
    const parsed = parseGlobalId(projectId);
    if (!parsed) throw new GraphQLError('Invalid input: projectId: expected a global id such as "kafshata:shared-backup"', { extensions: { code: 'BAD_USER_INPUT' } });
    if (parsed.memberId === ctx.member.id) throw new GraphQLError('Invalid input: projectId: a member leads its own projects; it does not join them', { extensions: { code: 'BAD_USER_INPUT' } });
    if (role && role.length > 200) throw new GraphQLError('Invalid input: role: at most 200 characters', { extensions: { code: 'BAD_USER_INPUT' } });
    await ctx.em.transactional(async (em) => {
      const existing = await em.findOne(ParticipationRecord, { projectId });
      const values = { projectId, role: role ?? null, visibility: visibility ?? 'NETWORK', sharedWith: defaultParticipationSharedWith(projectId), source: 'API' as const };
      em.persist(existing ? em.assign(existing, values) : em.create(ParticipationRecord, values));
    });
    return Object.assign(new ProjectType(), { id: projectId });
  }

  @Mutation(() => Boolean, { description: "Withdraws the caller's own member from a project. False when it had not joined." })
  async leaveProject(@Ctx() ctx: MemberContext, @Arg('projectId', () => ID) projectId: string): Promise<boolean> {
    requireOwnWrite(ctx);
    return ctx.em.transactional(async (em) => (await em.nativeDelete(ParticipationRecord, { projectId })) > 0);
  }
}

/** `_entities` for a Participation (`<this member>:<projectId>`): the record as the caller may see it, or null. */
export async function loadParticipation(ctx: MemberContext, id: string): Promise<ParticipationType | null> {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.memberId !== ctx.member.id) return null;
  const [row] = await findVisible(ctx.em, ParticipationRecord, ctx.scope, { projectId: parsed.localId });
  return row ? toParticipation(row, ctx.scope) : null;
}
