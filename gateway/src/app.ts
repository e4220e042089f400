import '../../common/telemetry';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { readPrivateJwk, type PrivateJwk } from '../../common/auth/keys';
import { MemoryReplayCache } from '../../common/auth/replay-cache';
import { RedisReplayCache } from './auth/redis-replay-cache';
import { startHttpServer, type ShutdownOptions } from '../../common/http/server';
import { createLogger, type Logger } from '../../common/logger';
import { RegistryWatcher } from '../../common/registry/registry-watcher';
import { registryWatchOptions } from '../../common/registry/trust-settings';
import { loadMemberContract } from '../../schema/contract';
import { authenticate } from './auth/authenticate';
import { connectRedis } from './cache/connect-redis';
import { HttpResponseCache } from './cache/http-response-cache';
import { RedisKeyValueCache } from './cache/redis-key-value-cache';
import { redisNamespace } from './cache/redis-namespace';
import { ResponseCache } from './cache/response-cache';
import { resolveGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config';
import { FanoutDataSource } from './fanout/fanout-data-source';
import type { MemberCaller } from './fanout/member-caller';
import { createMemberCalls } from './fanout/member-calls';
import { createGraphQLServer } from './graphql-server';
import { compatibleMembers } from './health/compatible-members';
import type { MemberHealth } from './health/member-health';
import { startMemberHealth } from './health/start-member-health';
import { healthRoute, readyRoute, schemaRoute } from './http/gateway-routes';
import { graphqlRoute } from './http/graphql-route';
import { PublicIndex } from './index/public-index';
import { admitByBudget, createCallerBudget, createRateLimiter } from './limits/rate-limit';
import { NETWORK_MUTATIONS } from './network/join-project';
import { createMemberQuery } from './network/member-queries';
import { buildNetworkSubgraph } from './network/network-subgraph';
import { createSupergraphGateway } from './network/supergraph';
import { queryArmor } from './limits/armor';
import { createSubscriptions } from './subscriptions';
import { callerTokenStillValid } from './auth/token-still-valid';
import { feedOverNetworkChanges } from './subscriptions/network-feed';
import { createNetworkChanges, feedFacts, type FetchNetworkChanges } from './changes';
import { memberCallObserver, metricsRoute } from './observability/member-call-metrics';
import { createGatewayMetrics } from './observability/metrics';
import { createSubscriptionMetrics } from './observability/subscription-metrics';
import { readPersistedOperations } from './planning/persisted-operations';
import { createWebSite } from './web/static-site';

export interface GatewayOptions extends Partial<GatewayConfigInput> {
  logger?: Logger;
  /** A private JWK object, instead of `signingKeyFile`. */
  signingKey?: PrivateJwk;
  /** The built web UI (dashboard and explorer); defaults to $INFRARED_WEB_DIR, else dist/web. */
  webDir?: string;
}

export interface Gateway {
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  port: number;
  config: GatewayConfig;
  registry: RegistryWatcher;
  health: MemberHealth;
  caller: MemberCaller;
  /** The network change feed (`networkChanges`), for in-process consumers such as the shared upstream feed of subscriptions. */
  fetchNetworkChanges: FetchNetworkChanges;
  /** Live subscriptions (/graphql/stream): the shared feeds' state, for metrics and tests. */
  subscriptions: { stats(): { feeds: number; subscribers: number }; positions(): number };
  /**
   * Graceful shutdown (see docs/operate-gateway.md): `drainDelayMs` defaults to 0 here; the CLI
   * passes `config.shutdownDelayMs` on SIGTERM. Calling it again returns the same promise.
   */
  stop(shutdown?: ShutdownOptions): Promise<void>;
}

export { composeSupergraph } from './network/supergraph';

/**
 * Starts the gateway: one GraphQL endpoint over every member in the registry.
 * @example
 * const gw = await createGateway({ registryFile: '.infrared/demo/network.yaml', port: 4000 });
 * console.log(gw.url); await gw.stop();
 */
export async function createGateway(opts: GatewayOptions): Promise<Gateway> {
  const { logger: givenLogger, signingKey: givenKey, webDir, ...settings } = opts;
  const config = resolveGatewayConfig(settings);
  const logger = givenLogger ?? createLogger('gateway');
  const signingKey = givenKey ?? (config.signingKeyFile ? readPrivateJwk(config.signingKeyFile) : undefined);
  if (!signingKey) logger.warn('no gateway signing key: members will treat every sub-request as anonymous (PUBLIC data only)');
  const registry = await RegistryWatcher.start(config.registryFile, logger, config.registryPollMs, registryWatchOptions(config));
  const contract = loadMemberContract();
  const metrics = createGatewayMetrics();
  registry.trust.registerMetrics(metrics.registry);

  // members: their health, the transport, and the fan-out over them; members that say (their
  // /ready answer) they verify batch assertions get one signature per fan-out
  const { health, close: closeHealth } = await startMemberHealth(config, { contract, registry, signingKey, metrics, logger });
  const acceptsBatch = (id: string) => health.status(id).batchAssertions;
  const { client, caller } = createMemberCalls(
    config,
    signingKey,
    () => registry.registry.members.length,
    logger,
    acceptsBatch,
    (id) => health.batchRefused(id),
  );
  registry.onChange((next) => caller.forget(next.members));
  const fanout = new FanoutDataSource({
    contract,
    members: compatibleMembers(health),
    call: caller.call,
    observe: memberCallObserver(metrics),
    logger,
    maxListItems: config.maxMemberListItems,
    mutations: NETWORK_MUTATIONS,
    planCacheBytes: (config.planCacheMiB * 2 ** 20) / 2,
  });

  // shared state: Redis (optional) under this network's namespace, fixed at start
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger, { commandTimeoutMs: config.redisCommandTimeoutMs, connectTimeoutMs: config.redisConnectTimeoutMs }) : undefined;
  const namespace = redisNamespace(registry.registry.network.id, config.gatewayGroup);

  // the network subgraph, served in-process, and the supergraph over both
  const memberQuery = createMemberQuery((o) => fanout.process(o));
  const publicIndex =
    config.publicIndexRefreshSeconds > 0
      ? new PublicIndex({
          query: memberQuery,
          registry: () => registry.registry,
          store: redis ? new RedisKeyValueCache(redis, `${namespace}index:`) : new InMemoryLRUCache<string>(),
          refreshSeconds: config.publicIndexRefreshSeconds,
          logger,
        })
      : undefined;
  const feedKinds = feedFacts(contract.sdl);
  const fetchNetworkChanges = createNetworkChanges({
    members: (context) => fanout.reachableMembers(context),
    ask: (member, query, variables, context) => fanout.askMember(member, query, variables, context),
    kinds: feedKinds.kinds,
    typeOfKind: feedKinds.typeOfKind,
  });
  const network = new LocalGraphQLDataSource(
    buildNetworkSubgraph(health, (id) => caller.breakerState(id), memberQuery, publicIndex, { maxSupportMatches: config.maxSupportMatches }, { memberSdl: contract.sdl, fetch: fetchNetworkChanges }),
  );
  const { gateway, published, apiSchema } = createSupergraphGateway({ memberSdl: contract.sdl, network, members: fanout, planCacheMiB: config.planCacheMiB, logger });

  // GraphQL: limits, rate budgets, persisted operations, the response cache
  const responseCache = config.responseCacheTtlSeconds > 0 ? new ResponseCache({ ttlSeconds: config.responseCacheTtlSeconds, redis, logger, namespace }) : undefined;
  // a registry edit (a member joined, left or moved) makes every cached answer stale
  if (responseCache) registry.onChange(() => void responseCache.invalidate());
  const httpCache = responseCache && new HttpResponseCache(responseCache, metrics);
  const budget = createCallerBudget(
    createRateLimiter({ points: config.rateLimitPoints, windowSeconds: config.rateLimitWindowSeconds, redis, namespace }),
    createRateLimiter({ points: config.issuerRateLimitPoints, windowSeconds: config.rateLimitWindowSeconds, redis, namespace, keyPrefix: 'rl-issuer' }),
  );
  const knownOperations = config.persistedOperationsFile ? readPersistedOperations(config.persistedOperationsFile) : new Map<string, string>();
  const apollo = createGraphQLServer({ config, gateway, contract, budget, knownOperations, responseCache, logger });
  await apollo.start();
  publicIndex?.start();

  // HTTP: /graphql (auth, rate budget, gate, cache, admission), the web UI, health, readiness, metrics (draining is the server's)
  // proven callers: the endpoints their proofs may name, and each proof accepted once
  const proofs = {
    endpoints: () => [...(config.publicEndpoints ?? []), ...(registry.registry.gateways.find((g) => g.id === config.gatewayId)?.endpoints ?? [])],
    replay: redis ? new RedisReplayCache(redis, `${namespace}proof:`) : new MemoryReplayCache(),
  };
  if (proofs.endpoints().length === 0) logger.warn('no public endpoint (INFRARED_PUBLIC_ENDPOINTS, or endpoints in the registry entry): proven callers are refused');
  const graphql = graphqlRoute({ apollo, config, registry, budget, knownOperations, httpCache, metrics, logger, proofs });
  const streamProofs = { endpoints: () => proofs.endpoints().map(streamEndpoint), replay: proofs.replay };
  // /graphql/stream: live subscriptions over SSE, one shared upstream feed per caller class
  const subscriptions = createSubscriptions({
    config,
    fetch: feedOverNetworkChanges(fetchNetworkChanges, () => registry.registry, config.requestBudgetMs),
    apiSchema,
    // the same authentication as /graphql: a bound token needs a proof of this very request, whose htu is the stream endpoint
    authenticate: async (req, rawBody) => (await authenticate(req, rawBody, registry.registry, streamProofs)).caller,
    // a token revoked in the registry (or whose issuer or key left it) ends the streams it opened
    stillValid: (authorization) => callerTokenStillValid(authorization, registry.registry),
    metrics: createSubscriptionMetrics(metrics.registry),
    onAuthError: (reason, req, refusal) => logger.warn({ refusal, reason, ip: req.socket.remoteAddress }, 'caller token refused'),
    admit: admitByBudget(budget),
    validationRules: queryArmor(
      { maxDepth: config.maxQueryDepth, maxAliases: config.maxAliases, maxTokens: config.maxTokens, maxDirectives: config.maxDirectives, maxCost: config.maxCost },
      config.production,
    ).validationRules,
    logger,
  });
  registry.onChange(() => void subscriptions.recheckCallers());
  const web = createWebSite({ root: webDir });
  const http = await startHttpServer({
    routes: {
      '/graphql': graphql,
      '/graphql/stream': subscriptions.route,
      '/explorer': web.explorer,
      '/health': healthRoute,
      '/schema.graphql': schemaRoute(published),
      '/metrics': metricsRoute(metrics, caller, () => registry.registry.members, redis),
      '/ready': readyRoute(
        () => registry.registry.members.length,
        redis,
        () => registry.status(),
      ),
    },
    fallback: web.fallback,
    port: config.port,
    host: config.host,
    logger,
    serviceName: 'the gateway',
  });
  let stopping: Promise<void> | undefined;
  logger.info({ url: `${http.url}/graphql`, members: registry.registry.members.length }, 'gateway listening');
  return {
    url: `${http.url}/graphql`,
    port: http.port,
    config,
    registry,
    health,
    caller,
    fetchNetworkChanges,
    subscriptions,
    stop(shutdown: ShutdownOptions = {}) {
      stopping ??= (async () => {
        // live streams end once the drain delay is over (clients resume elsewhere with their last event id)
        const streamsEnded = new Promise<void>((resolve) => setTimeout(resolve, shutdown.drainDelayMs ?? 0).unref()).then(() => subscriptions.close());
        await http.close({ drainTimeoutMs: config.shutdownTimeoutMs, ...shutdown });
        await streamsEnded;
        registry.stop();
        publicIndex?.stop();
        caller.stop();
        await apollo.stop();
        await client.close();
        await closeHealth();
        redis?.disconnect();
      })();
      return stopping;
    },
  };
}

/** The stream endpoint beside a public GraphQL endpoint (`https://gw.example/graphql` → `…/graphql/stream`): the `htu` a proven subscriber's proof names. */
function streamEndpoint(graphqlEndpoint: string): string {
  return `${graphqlEndpoint.replace(/\/+$/, '')}/stream`;
}
