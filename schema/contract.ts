import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { memberSdlPath } from './paths';
import { kindFacts, type KindFacts, type RootFieldKind } from './kind-facts';

export type { RootFieldKind };

export interface MemberContract {
  sdl: string;
  /** The member schema with federation types (`_entities`, `_Any`), for type information. */
  schema: GraphQLSchema;
  queryFields: ReadonlyMap<string, RootFieldKind>;
  /** What the gateway needs to know about the record kinds, derived from the SDL. */
  kinds: KindFacts;
}

let cached: MemberContract | undefined;

/** The committed member contract (`schema/member.graphql`), read once. */
export function loadMemberContract(sdl = readFileSync(memberSdlPath(), 'utf8')): MemberContract {
  if (cached && cached.sdl === sdl) return cached;
  const schema = buildSubgraphSchema([{ typeDefs: gql(sdl) }]);
  const kinds = kindFacts(schema);
  cached = { sdl, schema, queryFields: kinds.rootFields, kinds };
  return cached;
}
