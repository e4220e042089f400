import { readFileSync } from 'node:fs';
import { isListType, isNonNullType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { memberSdlPath } from '../../../schema/paths';

/** How the fan-out treats each root field of the member contract. */
export type RootFieldKind =
  /** Asked of every member; lists are concatenated. */
  | 'list'
  /** A lookup by global id (`service(id)`): asked of the owner only. */
  | 'lookup';

export interface MemberContract {
  sdl: string;
  /** The member schema with federation types (`_entities`, `_Any`), for type information. */
  schema: GraphQLSchema;
  queryFields: Map<string, RootFieldKind>;
}

let cached: MemberContract | undefined;

/** The committed member contract (`schema/member.graphql`), read once. */
export function loadMemberContract(sdl = readFileSync(memberSdlPath(), 'utf8')): MemberContract {
  if (cached && cached.sdl === sdl) return cached;
  const schema = buildSubgraphSchema([{ typeDefs: gql(sdl) }]);
  const queryFields = new Map<string, RootFieldKind>();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name.startsWith('_')) continue;
    const isLookup = !isList(field.type) && field.args.some((a) => a.name === 'id');
    queryFields.set(field.name, isLookup ? 'lookup' : 'list');
  }
  cached = { sdl, schema, queryFields };
  return cached;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
