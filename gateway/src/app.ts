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
import { parse } from 'graphql';
import { Agent } from 'undici';
import type { Caller } from '../../common/caller';
import { ASSERTION_HEADER, signAssertion } from '../../common/auth/assertion';
import { readPrivateJwk, type PrivateJwk } from '../../common/auth/keys';
import { createApolloHandler } from '../../common/http/apollo-handler';
import { sendJson } from '../../common/http/send';
import { startHttpServer } from '../../common/http/server';
import { createLogger, type Logger } from '../../common/logger';
import { SCHEMA_VERSION } from '../../schema/version';
import { authenticate } from './auth/authenticate';
import { resolveGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config';
import type { GatewayContext } from './context';
import { FanoutDataSource, type MemberCall } from './fanout/fanout-data-source';
import { MemberClient } from './fanout/member-client';
import { loadMemberContract } from './fanout/member-schema';
import { MemberHealth } from './health/member-health';
import { memberReportsPlugin } from './http/member-reports-plugin';
import { buildNetworkSubgraph, NETWORK_SDL } from './network/network-subgraph';
import { RegistryWatcher } from '../../common/registry/registry-watcher';

export interface GatewayOptions extends Partial<GatewayConfigInput> {
  logger?: Logger;
  /** A private JWK object, instead of `signingKeyFile`. */
  signingKey?: PrivateJwk;
}

export interface Gateway {
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  port: number;
  config: GatewayConfig;
  registry: RegistryWatcher;
  health: MemberHealth;
  stop(): Promise<void>;
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
  const { logger: givenLogger, signingKey: givenKey, ...settings } = opts;
  const config = resolveGatewayConfig(settings);
  const logger = givenLogger ?? createLogger('gateway');
  const signingKey = givenKey ?? (config.signingKeyFile ? readPrivateJwk(config.signingKeyFile) : undefined);
  if (!signingKey) logger.warn('no gateway signing key: members will treat every sub-request as anonymous (PUBLIC data only)');
  const registry = await RegistryWatcher.start(config.registryFile, logger, config.registryPollMs);
  const contract = loadMemberContract();
  const client = new MemberClient({ maxResponseBytes: config.maxMemberResponseBytes });
  const healthAgent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  const health = new MemberHealth({ dispatcher: healthAgent, intervalMs: config.healthIntervalMs, timeoutMs: config.memberDeadlineMs, logger });
  await health.track(registry.registry.members);
  health.start();
  registry.onChange((next) => void health.track(next.members));

  const call: MemberCall = async (member, body, context) => {
    const remaining = context.deadlineAt - Date.now();
    if (remaining <= 0) return { outcome: 'timeout', reason: 'request budget spent', durationMs: 0 };
    const headers: Record<string, string> = { 'x-request-id': context.requestId };
    if (context.acceptLanguage) headers['accept-language'] = context.acceptLanguage;
    if (signingKey) headers[ASSERTION_HEADER] = await signAssertion({ key: signingKey, gatewayId: config.gatewayId, member: member.id, caller: context.caller, body });
    return client.post(member.url, body, headers, Math.min(member.deadlineMs ?? config.memberDeadlineMs, remaining));
  };
  const fanout = new FanoutDataSource({ contract, members: (ctx) => ctx.registry.members, call, logger });
  const network = new LocalGraphQLDataSource(buildNetworkSubgraph(health));
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(contract.sdl),
    buildService: ({ name }) => (name === 'network' ? network : fanout),
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      memberReportsPlugin(),
    ],
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  await apollo.start();

  const graphql = createApolloHandler<GatewayContext, Caller>({
    server: apollo,
    maxBodyBytes: config.maxRequestBodyBytes,
    authenticate: (req) => authenticate(req, registry.registry),
    onAuthError: (reason, req) => logger.warn({ reason, ip: req.socket.remoteAddress }, 'caller token refused'),
    async context({ req, auth: caller }) {
      const header = req.headers['x-request-id'];
      const requestId = typeof header === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
      const acceptLanguage = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'].slice(0, 200) : undefined;
      return { requestId, caller, registry: registry.registry, acceptLanguage, deadlineAt: Date.now() + config.requestBudgetMs, reports: [] };
    },
  });
  const http = await startHttpServer({
    routes: {
      '/graphql': graphql,
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': (_req, res) => sendJson(res, 200, { status: 'ready', schemaVersion: SCHEMA_VERSION, members: registry.registry.members.length }),
    },
    port: config.port,
    host: config.host,
    logger,
  });
  logger.info({ url: `${http.url}/graphql`, members: registry.registry.members.length }, 'gateway listening');
  return {
    url: `${http.url}/graphql`,
    port: http.port,
    config,
    registry,
    health,
    async stop() {
      registry.stop();
      health.stop();
      logger.debug('gateway: draining HTTP');
      await http.close();
      logger.debug('gateway: stopping Apollo');
      await apollo.stop();
      logger.debug('gateway: closing member connections');
      await client.close();
      await healthAgent.close();
    },
  };
}
