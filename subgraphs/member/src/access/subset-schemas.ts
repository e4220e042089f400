import { buildSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { NETWORK_SDL } from '../../../../gateway/src/network/network-subgraph';
import { loadMemberContract } from '../../../../schema/contract';
import type { SubsetSchemas } from './subset-check';

let cached: SubsetSchemas | undefined;

/**
 * The schemas a proven caller's operation is read against: the member contract (this member's
 * types) and the gateway's own `network` subgraph (the fields the gateway resolves itself, such
 * as `member(id:)`, and the entity types they make it fetch from members). Built once.
 */
export function subsetSchemas(): SubsetSchemas {
  cached ??= { member: loadMemberContract().schema, network: buildSubgraphSchema([{ typeDefs: gql(NETWORK_SDL) }]) };
  return cached;
}
