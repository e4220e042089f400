import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloGateway } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { introspectionPolicyPlugin } from '../../common/graphql-limits/introspection-policy';
import { operationResolutionPlugin } from '../../common/http/operation-resolution';
import type { Logger } from '../../common/logger';
import type { MemberContract } from '../../schema/contract';
import { invalidateOnMutationPlugin } from './cache/invalidate-on-mutation';
import type { ResponseCache } from './cache/response-cache';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { memberReportsPlugin } from './http/member-reports-plugin';
import { queryArmor } from './limits/armor';
import { costPlugin } from './limits/cost-plugin';
import { overloadPlugin } from './limits/overload';
import type { CallerBudget } from './limits/rate-limit';
import { networkCostModel } from './network/fanout-cost';
import { PersistedOperationCache } from './planning/persisted-operations';
import { heapSizedCache } from './planning/heap-size';

export interface GraphQLServerParts {
  config: GatewayConfig;
  gateway: ApolloGateway;
  contract: MemberContract;
  budget: CallerBudget;
  /** Operations known by hash (persisted operations). */
  knownOperations: ReadonlyMap<string, string>;
  responseCache?: ResponseCache;
  logger: Logger;
}

/**
 * The gateway's GraphQL server: query armor, bounded document and plan caches, persisted
 * operations, the introspection policy, per-member reports, cache invalidation on mutations,
 * overload answers, and the cost rule with its rate-limit charge. Production settings unless
 * `config.production` is false.
 */
export function createGraphQLServer({ config, gateway, contract, budget, knownOperations, responseCache, logger }: GraphQLServerParts): ApolloServer<GatewayContext> {
  const armor = queryArmor(
    { maxDepth: config.maxQueryDepth, maxAliases: config.maxAliases, maxTokens: config.maxTokens, maxDirectives: config.maxDirectives, maxCost: config.maxCost },
    config.production,
  );
  const planCacheBytes = config.planCacheMiB * 2 ** 20;
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: armor.parseOptions,
    validationRules: armor.validationRules,
    // parsed and validated operations: bounded by the heap they take, not by count
    documentStore: heapSizedCache<DocumentNode>('locatedDocument', planCacheBytes),
    // automatic persisted queries: the known operations first, then (unless only those are accepted) a bounded LRU of registered ones
    persistedQueries: {
      cache: new PersistedOperationCache(knownOperations, config.onlyPersistedOperations ? undefined : new InMemoryLRUCache<string>({ maxSize: planCacheBytes / 4 })),
    },
    plugins: [
      ...armor.plugins,
      operationResolutionPlugin(),
      introspectionPolicyPlugin<GatewayContext>((ctx) => !config.production || !ctx.caller.anonymous),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      memberReportsPlugin(),
      ...(responseCache ? [invalidateOnMutationPlugin(responseCache)] : []),
      overloadPlugin(),
      costPlugin({
        model: networkCostModel(contract, config.costListSize),
        limits: { maxFanout: config.maxFanoutCost, maxCost: config.maxOperationCost, costPerPoint: config.costPerPoint },
        budget,
      }),
    ],
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
}
