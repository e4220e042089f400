import { CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema } from '@apollo/subgraph';

export interface Compatibility {
  compatible: boolean;
  /** What the member lacks or changed incompatibly, one line each. */
  problems: string[];
}

/**
 * Compares a member's SDL (`_service { sdl }`) with the network contract (@graphql-inspector).
 * Breaking differences — a field, type, argument or enum value the contract has and the member
 * lacks or narrows — make the member incompatible. A newer member that only adds is compatible.
 */
export async function checkCompatibility(contract: GraphQLSchema, memberSdl: string): Promise<Compatibility> {
  let member: GraphQLSchema;
  try {
    member = buildSubgraphSchema([{ typeDefs: gql(memberSdl) }]);
  } catch (err) {
    return { compatible: false, problems: [`SDL does not build: ${(err as Error).message.split('\n')[0]}`] };
  }
  const changes = await diff(contract, member);
  const problems = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => c.message);
  return { compatible: problems.length === 0, problems: problems.slice(0, 50) };
}
