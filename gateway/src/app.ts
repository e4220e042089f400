import '../../common/telemetry';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { parse, printSchema, type DocumentNode } from 'graphql';
import { Agent } from 'undici';
import type { Caller } from '../../common/caller';
import { readPrivateJwk, type PrivateJwk } from '../../common/auth/keys';
import { createApolloHandler } from '../../common/http/apollo-handler';
import { operationResolutionPlugin } from '../../common/http/operation-resolution';
import { introspectionPolicyPlugin } from '../../common/graphql-limits/introspection-policy';
import { sendJson } from '../../common/http/send';
import { startHttpServer, type ShutdownOptions } from '../../common/http/server';
import { createLogger, type Logger } from '../../common/logger';
import { RegistryWatcher } from '../../common/registry/registry-watcher';
import { SCHEMA_VERSION } from '../../schema/version';
import { authenticate } from './auth/authenticate';
import { resolveGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config';
import type { GatewayContext } from './context';
import { FanoutDataSource } from './fanout/fanout-data-source';
import { MemberCaller } from './fanout/member-caller';
import { MemberClient } from './fanout/member-client';
import { loadMemberContract } from '../../schema/contract';
import { MEMBER_STATES, MemberHealth } from './health/member-health';
import { checkCompatibility } from '../../schema/compatibility';
import { memberReportsPlugin } from './http/member-reports-plugin';
import { queryArmor } from './limits/armor';
import { costPlugin } from './limits/cost-plugin';
import { networkCostModel } from './network/fanout-cost';
import { createCallerBudget, createRateLimiter } from './limits/rate-limit';
import { ConcurrencyLimiter } from './limits/concurrency-limiter';
import { overloadPlugin } from './limits/overload';
import { withAdmission } from './limits/admission';
import { normalizeOperationText } from './planning/normalize';
import { PersistedOperationCache, readPersistedOperations, refuseUnknown } from './planning/persisted-operations';
import { createMemberQuery } from './network/member-queries';
import { NETWORK_MUTATIONS } from './network/join-project';
import { buildNetworkSubgraph, NETWORK_SDL } from './network/network-subgraph';
import { ResponseCache } from './cache/response-cache';
import { RedisKeyValueCache } from './cache/redis-key-value-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { PublicIndex } from './index/public-index';
import { cacheKeyFor, OperationKinds } from './cache/cacheable';
import { invalidateOnMutationPlugin } from './cache/invalidate-on-mutation';
import { connectRedis } from './cache/connect-redis';
import { redisNamespace } from './cache/redis-namespace';
import { isCompleteAnswer } from './cache/complete-answer';
import { createGatewayMetrics } from './observability/metrics';
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
  /**
   * Graceful shutdown (see docs/operate-gateway.md): `drainDelayMs` defaults to 0 here; the CLI
   * passes `config.shutdownDelayMs` on SIGTERM. Calling it again returns the same promise.
   */
  stop(shutdown?: ShutdownOptions): Promise<void>;
}

/** Composes the supergraph once: the in-process `network` subgraph and the logical `members` one. */
export function composeSupergraph(memberSdl: string): string {
  const result = composeServices([
    { name: 'network', url: 'in-process://network', typeDefs: parse(NETWORK_SDL) },
    { name: 'members', url: 'fanout://members', typeDefs: parse(memberSdl) },
  ]);
  if (result.errors) throw new Error(`the network schema does not compose: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

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
  const registry = await RegistryWatcher.start(config.registryFile, logger, config.registryPollMs);
  const contract = loadMemberContract();

  const client = new MemberClient({
    maxResponseBytes: config.maxMemberResponseBytes,
    pools: { totalSockets: config.memberSockets, members: () => registry.registry.members.length },
  });
  const caller = new MemberCaller({
    client,
    gatewayId: config.gatewayId,
    signingKey,
    defaultDeadlineMs: config.memberDeadlineMs,
    breakerFailures: config.breakerFailures,
    breakerHalfOpenMs: config.breakerHalfOpenMs,
    dedupe: config.dedupeRequests,
    admission: { perMember: config.memberConcurrency, total: config.maxMemberCalls, queue: config.admissionQueue, queueWaitMs: config.admissionWaitMs },
    logger,
  });
  const metrics = createGatewayMetrics();
  const healthAgent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  const health = new MemberHealth({
    dispatcher: healthAgent,
    intervalMs: config.healthIntervalMs,
    timeoutMs: config.memberDeadlineMs,
    logger,
    gatewayId: config.gatewayId,
    signingKey,
    compatibility: (sdl) => checkCompatibility(contract.schema, sdl),
    onStateChange: (member, state) => {
      for (const s of MEMBER_STATES) metrics.memberState.set({ member, state: s }, s === state ? 1 : 0);
    },
    onForget: (member) => {
      for (const state of MEMBER_STATES) metrics.memberState.remove({ member, state });
    },
  });
  await health.track(registry.registry.members);
  health.start();
  registry.onChange((next) => {
    caller.forget(next.members);
    void health.track(next.members);
  });

  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger, { commandTimeoutMs: config.redisCommandTimeoutMs, connectTimeoutMs: config.redisConnectTimeoutMs }) : undefined;
  // the network id at start: a registry edit cannot move this gateway's keys to another network's
  const namespace = redisNamespace(registry.registry.network.id, config.gatewayGroup);
  const observedCall: typeof caller.call = async (member, body, context) => {
    const result = await caller.call(member, body, context);
    metrics.memberOutcomes.inc({ member: member.id, outcome: result.outcome });
    if (result.outcome === 'overloaded') metrics.shed.inc({ stage: 'member_call' });
    if (result.outcome !== 'circuit_open' && result.outcome !== 'overloaded') metrics.memberSeconds.observe({ member: member.id }, result.durationMs / 1000);
    return result;
  };
  const fanout = new FanoutDataSource({
    contract,
    members: (ctx) =>
      ctx.registry.members.filter((m) => {
        if (health.status(m.id).compatible !== false) return true;
        ctx.reports.push({ member: m.id, status: 'skipped', durationMs: 0, reason: 'schema incompatible with the network contract' });
        return false;
      }),
    call: observedCall,
    logger,
    maxListItems: config.maxMemberListItems,
    mutations: NETWORK_MUTATIONS,
  });
  const memberQuery = createMemberQuery((o) => fanout.process(o));
  const publicIndex =
    config.publicIndexRefreshSeconds > 0
      ? new PublicIndex({ query: memberQuery, registry: () => registry.registry, store: redis ? new RedisKeyValueCache(redis, `${namespace}index:`) : new InMemoryLRUCache<string>(), refreshSeconds: config.publicIndexRefreshSeconds, logger })
      : undefined;
  const network = new LocalGraphQLDataSource(buildNetworkSubgraph(health, (id) => caller.breakerState(id), memberQuery, publicIndex, { maxSupportMatches: config.maxSupportMatches }));
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(contract.sdl),
    buildService: ({ name }) => (name === 'network' ? network : fanout),
    // query plans share a bounded amount of memory, however many distinct operations arrive
    experimental_approximateQueryPlanStoreMiB: config.planCacheMiB,
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  const responseCache = config.responseCacheTtlSeconds > 0 ? new ResponseCache({ ttlSeconds: config.responseCacheTtlSeconds, redis, logger, namespace }) : undefined;
  const armor = queryArmor(
    { maxDepth: config.maxQueryDepth, maxAliases: config.maxAliases, maxTokens: config.maxTokens, maxDirectives: config.maxDirectives, maxCost: config.maxCost },
    config.production,
  );
  const rateLimiter = createRateLimiter({ points: config.rateLimitPoints, windowSeconds: config.rateLimitWindowSeconds, redis, namespace });
  const issuerLimiter = createRateLimiter({ points: config.issuerRateLimitPoints, windowSeconds: config.rateLimitWindowSeconds, redis, namespace, keyPrefix: 'rl-issuer' });
  const budget = createCallerBudget(rateLimiter, issuerLimiter);
  const knownOperations = config.persistedOperationsFile ? readPersistedOperations(config.persistedOperationsFile) : new Map<string, string>();
  const planCacheBytes = config.planCacheMiB * 2 ** 20;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: armor.parseOptions,
    validationRules: armor.validationRules,
    // parsed and validated operations: bounded by memory, not by count
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: planCacheBytes, sizeCalculation: InMemoryLRUCache.sizeCalculation }),
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
  let publishedSchema = '';
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    publishedSchema = printSchema(apiSchema);
  });
  await apollo.start();
  publicIndex?.start();

  // a registry edit (a member joined, left or moved) makes every cached answer stale
  if (responseCache) registry.onChange(() => void responseCache.invalidate());
  /** The cache generation each cacheable request started in (answers from an older one are not stored). */
  const cacheGenerations = new WeakMap<object, number>();
  /** Each request's context, so the cache can tell an incomplete answer (member errors, drops, cuts, unavailable members). */
  const requestContexts = new WeakMap<object, GatewayContext>();
  const operations = new OperationKinds();
  // admission: a bounded number of requests execute at once, a bounded queue waits briefly, the rest is shed
  const admission = new ConcurrencyLimiter(config.maxConcurrentRequests, config.admissionQueue);
  const apolloHandler = createApolloHandler<GatewayContext, Caller>({
    server: withAdmission(apollo, admission, config.admissionWaitMs, () => metrics.shed.inc({ stage: 'request' })),
    maxBodyBytes: config.maxRequestBodyBytes,
    authenticate: (req) => authenticate(req, registry.registry),
    onAuthError: (reason, req, refusal) => logger.warn({ refusal, reason, ip: req.socket.remoteAddress }, 'caller token refused'),
    async context({ req, auth }) {
      const header = req.headers['x-request-id'];
      const requestId = typeof header === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
      const acceptLanguage = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'].slice(0, 200) : undefined;
      const context: GatewayContext = { requestId, caller: auth, registry: registry.registry, acceptLanguage, deadlineAt: Date.now() + config.requestBudgetMs, reports: [], ip: req.socket.remoteAddress };
      requestContexts.set(req, context);
      return context;
    },
    async intercept({ auth, body, req }) {
      if (config.onlyPersistedOperations) {
        const refused = refuseUnknown(knownOperations, req, body);
        if (refused) return { status: refused.status, body: JSON.stringify({ errors: [{ message: refused.message, extensions: { code: refused.code } }] }) };
      }
      normalizeOperationText(body, config.maxTokens);
      const key = responseCache && cacheKeyFor(auth, body, req, operations, responseCache);
      if (!key) return undefined;
      cacheGenerations.set(req, await responseCache!.generationNow());
      const hit = await responseCache!.get(key);
      metrics.cache.inc({ result: hit ? 'hit' : 'miss' });
      return hit && { ...hit, headers: { 'x-infrared-cache': 'hit' } };
    },
    observe({ auth, body, req }, response, startedAt) {
      const request = body as { operationName?: unknown } | undefined;
      const operation = metrics.operations.label(request?.operationName, response.status === 200);
      metrics.requests.inc({ operation, status: String(response.status) });
      metrics.requestSeconds.observe({ operation }, (performance.now() - startedAt) / 1000);
      if (!responseCache || response.intercepted || response.status !== 200 || response.body.includes('"errors"')) return;
      // mutations invalidate in invalidateOnMutationPlugin, before their answer is sent
      if (!isCompleteAnswer(requestContexts.get(req)?.reports)) return;
      const key = cacheKeyFor(auth, body, req, operations, responseCache);
      if (key) void responseCache.set(key, { status: 200, body: response.body }, cacheGenerations.get(req));
    },
    async admit(req, auth) {
      // one point per request here; the operation's cost is charged once it is known (costPlugin)
      const retryAfter = await budget.charge(auth, req.socket.remoteAddress, 1);
      return retryAfter === undefined ? undefined : { status: 429, code: 'RATE_LIMITED', message: 'Too many requests', headers: { 'retry-after': String(retryAfter) } };
    },
  });
  const web = createWebSite({ root: webDir });
  const http = await startHttpServer({
    routes: {
      '/graphql': apolloHandler,
      '/explorer': web.explorer,
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      // the network contract as SDL: what introspection tells, for anyone (introspection itself needs a token in production)
      '/schema.graphql': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'max-age=300' });
        res.end(publishedSchema);
      },
      '/metrics': async (_req, res) => {
        for (const m of registry.registry.members) {
          metrics.breakerState.set({ member: m.id }, caller.breakerState(m.id) === 'closed' ? 0 : 1);
          metrics.memberConcurrency.set({ member: m.id }, caller.memberLimit(m.id));
        }
        if (redis) metrics.redisDegraded.set(redis.degraded ? 1 : 0);
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      },
      // a degraded Redis keeps the replica in rotation (it serves on local state) but says so
      '/ready': (_req, res) =>
        sendJson(res, 200, {
          status: redis?.degraded ? 'degraded' : 'ready',
          schemaVersion: SCHEMA_VERSION,
          members: registry.registry.members.length,
          ...(redis ? { redis: redis.degraded ? 'degraded' : 'ok' } : {}),
        }),
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
    stop(shutdown: ShutdownOptions = {}) {
      stopping ??= (async () => {
        await http.close({ drainTimeoutMs: config.shutdownTimeoutMs, ...shutdown });
        registry.stop();
        health.stop();
        publicIndex?.stop();
        caller.stop();
        await apollo.stop();
        await client.close();
        await healthAgent.close();
        redis?.disconnect();
      })();
      return stopping;
    },
  };
}
