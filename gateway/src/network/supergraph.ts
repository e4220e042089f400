import { ApolloGateway, type GatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { parse, printSchema, type GraphQLSchema } from 'graphql';
import type { Logger } from '../../../common/logger';
import type { GatewayContext } from '../context';
import { heapSizedCache } from '../planning/heap-size';
import { installShapedResponse } from '../planning/shaped-response';
import { withoutMemberFeed } from '../changes/feed-sdl';
import { networkSdl } from './network-subgraph';

/** A query plan, as the gateway's plan cache holds it. */
type QueryPlan = Parameters<NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>['set']>[1];

/** Composes the supergraph once: the in-process `network` subgraph and the logical `members` one. */
export function composeSupergraph(memberSdl: string): string {
  const result = composeServices([
    { name: 'network', url: 'in-process://network', typeDefs: parse(networkSdl(memberSdl)) },
    // the per-member feed is the gateway's to ask: callers get networkChanges
    { name: 'members', url: 'fanout://members', typeDefs: parse(withoutMemberFeed(memberSdl)) },
  ]);
  if (result.errors) throw new Error(`the network schema does not compose: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

/**
 * The gateway over the two subgraphs, with query plans in a bounded amount of memory however
 * many distinct operations arrive. `published()` is the API schema as SDL (`/schema.graphql`).
 */
export function createSupergraphGateway(opts: { memberSdl: string; network: GraphQLDataSource<GatewayContext>; members: GraphQLDataSource<GatewayContext>; planCacheMiB: number; logger: Logger }): {
  gateway: ApolloGateway;
  published(): string;
  /** The API schema (what clients query), once loaded. */
  apiSchema(): GraphQLSchema | undefined;
} {
  const { logger } = opts;
  // Apollo's copy of the whole response is skipped where the data is already in its shape
  if (!installShapedResponse()) logger.warn('response shaping shortcut not installed: @apollo/gateway is not the version it was checked against');
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(opts.memberSdl),
    buildService: ({ name }) => (name === 'network' ? opts.network : opts.members),
    // query plans by the heap they really take (Apollo's own store counts their JSON, a third of it)
    queryPlannerConfig: { cache: heapSizedCache<QueryPlan>('queryPlan', opts.planCacheMiB * 2 ** 20) },
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  let published = '';
  let api: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    published = printSchema(apiSchema);
    api = apiSchema;
  });
  return { gateway, published: () => published, apiSchema: () => api };
}
