import 'reflect-metadata';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchemaSync, createResolversMap, type ClassType, type NonEmptyArray } from 'type-graphql';
import type { MemberContext } from '../context';
import { RECORD_KINDS } from '../modules';
import { memberFieldResolver } from '../modules/member/member.resolver';
import { ChangesResolver } from '../changes/changes.resolver';
import { memberRef } from '../modules/member/member.type';
import { patchResolverFor } from '../modules/shared/patch-resolver';
import { connectionResolver } from '../modules/shared/connection.resolver';
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
    resolvers: [
      ChangesResolver,
      ...RECORD_KINDS.flatMap((kind): ClassType[] => [
        ...kind.resolvers,
        ...kind.lists.map(connectionResolver),
        ...(kind.memberField ? [memberFieldResolver(kind.memberField)] : []),
        ...(kind.writes ? [patchResolverFor(kind.writes)] : []),
      ]),
    ] as NonEmptyArray<ClassType>,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    skipCheck: true,
    validate: false,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(typeSchema))}\n`;
  const resolvers = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  for (const kind of RECORD_KINDS) {
    for (const [typeName, load] of Object.entries(kind.references)) {
      resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: (ref: { id: string }, ctx: MemberContext) => load(ctx, ref.id) };
    }
  }
  resolvers.Member = { ...(resolvers.Member ?? {}), __resolveReference: (ref: { id: string }) => memberRef(ref.id) };
  const schema = buildSubgraphSchema([{ typeDefs: gql(sdl), resolvers: resolvers as never }]);
  cached = { schema, sdl };
  return cached;
}
