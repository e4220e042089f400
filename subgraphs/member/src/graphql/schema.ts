import 'reflect-metadata';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchemaSync, createResolversMap } from 'type-graphql';
import { parseGlobalId } from '../../../../common/ids';
import type { MemberContext } from '../context';
import { CapacityResolver } from '../modules/capacity/capacity.resolver';
import { toCapacity } from '../modules/capacity/capacity.mapper';
import { MemberResolver } from '../modules/member/member.resolver';
import { memberRef } from '../modules/member/member.type';
import { ProjectResolver, loadProject } from '../modules/project/project.resolver';
import { ServiceResolver, loadService } from '../modules/service/service.resolver';
import { WriteResolver } from '../modules/writes/write.resolver';
import { IncidentResolver, loadIncident } from '../modules/incident/incident.resolver';
import { SupportNeedResolver, SupportOfferResolver, supportLoader } from '../modules/support/support.resolver';
import { ParticipationResolver } from '../modules/participation/participation.resolver';
import './enums';

const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

export interface MemberSchema {
  /** The executable Federation 2 subgraph schema. */
  schema: GraphQLSchema;
  /** The subgraph SDL, with federation directives: the committed `schema/member.graphql`. */
  sdl: string;
}

let cached: MemberSchema | undefined;

/** Builds the member subgraph schema once per process; every member instance shares it. */
export function buildMemberSchema(): MemberSchema {
  if (cached) return cached;
  const typeSchema = buildSchemaSync({
    resolvers: [ServiceResolver, CapacityResolver, ProjectResolver, MemberResolver, WriteResolver, IncidentResolver, SupportOfferResolver, SupportNeedResolver, ParticipationResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    skipCheck: true,
    validate: false,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(typeSchema))}\n`;
  const resolvers = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  const byId = (load: (ctx: MemberContext, id: string) => Promise<unknown>) => ({
    __resolveReference: (ref: { id: string }, ctx: MemberContext) => load(ctx, ref.id),
  });
  Object.assign(resolvers.Service, byId(loadService));
  Object.assign(resolvers.Project, byId(loadProject));
  Object.assign(resolvers.Incident, byId(loadIncident));
  Object.assign(resolvers.SupportOffer, byId(supportLoader('offer')));
  Object.assign(resolvers.SupportNeed, byId(supportLoader('need')));
  Object.assign(resolvers.Capacity, byId(async (ctx, id) => {
    const parsed = parseGlobalId(id);
    if (!parsed || parsed.memberId !== ctx.member.id) return null;
    const row = await ctx.loaders.capacityById.load(parsed.localId);
    return row ? toCapacity(row, ctx.scope) : null;
  }));
  resolvers.Member = { ...(resolvers.Member ?? {}), __resolveReference: (ref: { id: string }) => memberRef(ref.id) };
  const schema = buildSubgraphSchema([{ typeDefs: gql(sdl), resolvers: resolvers as never }]);
  cached = { schema, sdl };
  return cached;
}
