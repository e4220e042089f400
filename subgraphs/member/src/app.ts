import '../../../common/telemetry';
import { ApolloServer } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../common/caller';
import { createApolloHandler } from '../../../common/http/apollo-handler';
import type { PendingChecks } from '../../../common/http/pending-checks';
import { operationResolutionPlugin } from '../../../common/http/operation-resolution';
import { introspectionPolicyPlugin } from '../../../common/graphql-limits/introspection-policy';
import { maxAliasesRule } from '../../../common/graphql-limits/max-aliases';
import { maxDuplicateFieldsRule } from '../../../common/graphql-limits/max-duplicate-fields';
import { oneDirectiveErrorPlugin } from '../../../common/graphql-limits/one-directive-error';
import { sendJson } from '../../../common/http/send';
import { startHttpServer, type RouteHandler, type ShutdownOptions } from '../../../common/http/server';
import { createLogger, type Logger } from '../../../common/logger';
import { SCHEMA_VERSION } from '../../../schema/version';
import type { MemberContext, MemberIdentity } from './context';
import { openDatabase, type DatabaseOptions } from './db/orm';
import { sharedReadEntityManager } from './db/read-entity-manager';
import { buildMemberSchema } from './graphql/schema';
import { formatMemberError } from './graphql/format-error';
import { OperationCache } from './graphql/operation-cache';
import { createQueryExecutor } from './graphql/query-executor';
import { listCapExtension, listCapPlugin } from './graphql/list-cap-extension';
import { parseAcceptLanguage } from '../../../common/i18n';
import { createLoaders } from './loaders';
import { createMemberMetrics } from './http/metrics';
import { Attestor } from './provenance/attestor';
import { readyRoute } from './http/ready';
import type { GatewayProbeAnswer } from './access/trust';
import type { PrivateJwk } from '../../../common/auth/keys';

function simulated(handler: RouteHandler, simulate: NonNullable<MemberSubgraphOptions['simulate']>): RouteHandler {
  return async (req, res) => {
    const wait = simulate.latencyMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (simulate.failureRate?.()) {
      req.resume();
      return sendJson(res, 503, { errors: [{ message: 'simulated failure', extensions: { code: 'SIMULATED' } }] });
    }
    return handler(req, res);
  };
}

/** Decides who a request is for. The trust module provides the real one (signed assertions). */
export type CallerResolver = (req: IncomingMessage, rawBody: Buffer, body?: unknown) => Promise<Caller>;

export interface MemberSubgraphOptions {
  member: MemberIdentity;
  /** Open a database, or reuse an ORM that is already open (tests, imports). */
  database: DatabaseOptions | { orm: MikroORM };
  port?: number;
  host?: string;
  logger?: Logger;
  maxBodyBytes?: number;
  resolveCaller?: CallerResolver;
  /**
   * Checks the caller resolver left running (its replay verdict): a read may execute meanwhile,
   * and its answer is held until they settle. Give the same object to the resolver.
   */
  pendingChecks?: PendingChecks;
  /** The member's private key: when given, records carry an `attestation`. */
  signingKey?: PrivateJwk;
  /**
   * Simulation only (benchmarks, the large-network harness): milliseconds to wait before each
   * GraphQL answer, and a failure rate. Never set in production.
   */
  simulate?: { latencyMs: () => number; failureRate?: () => boolean };
  /**
   * Checks the signed assertion a gateway sends with its `/ready` probe (the trust module provides
   * it). Without it, a probe is answered `gateway: "unverified"`: this member cannot verify any
   * gateway, so callers get PUBLIC data only.
   */
  probeGateway?: (req: IncomingMessage) => Promise<GatewayProbeAnswer>;
  /** How long `/ready` waits for the database before answering 503 (default 2000 ms). */
  readyTimeoutMs?: number;
  /** Extra HTTP routes, such as `/.well-known/jwks.json`. */
  routes?: Record<string, RouteHandler>;
  /** Production (the default): no field suggestions or schema details in errors. */
  production?: boolean;
  /** The registry in force, for `/ready` and `/metrics` (registry-trust.ts): accepted version, last refusal. */
  registryTrust?: { status(): unknown; registerMetrics(registry: import('prom-client').Registry): void };
}

export interface MemberSubgraph {
  memberId: string;
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  port: number;
  orm: MikroORM;
  /**
   * Graceful shutdown, as the gateway's: /ready 503 during `drainDelayMs` (default 0; the CLI passes
   * the configured delay on SIGTERM), then new requests 503 `SHUTTING_DOWN` while requests in flight
   * finish, then the database pool closes (unless it was passed in). Calling it again returns the same promise.
   */
  stop(shutdown?: ShutdownOptions): Promise<void>;
}

/**
 * Starts one member's subgraph: a Federation 2 subgraph over HTTP, backed by its own schema in
 * PostgreSQL, with visibility enforced in every query.
 * @example
 * const member = await createMemberSubgraph({ member: { id: 'kafshata', languages: ['sq', 'en'] },
 *   database: { url: process.env.DATABASE_URL!, schema: 'kafshata' }, port: 0 });
 * console.log(member.url); await member.stop();
 */
export async function createMemberSubgraph(opts: MemberSubgraphOptions): Promise<MemberSubgraph> {
  const logger = opts.logger ?? createLogger(`member:${opts.member.id}`);
  const ownsOrm = !('orm' in opts.database);
  const orm = 'orm' in opts.database ? opts.database.orm : await openDatabase(opts.database, logger);
  const { schema } = buildMemberSchema();
  const production = opts.production ?? true;
  // Direct callers can reach a member too: bound depth, aliases, tokens and cost here as well,
  // generously enough for the gateway's own sub-requests (its probes and `_entities` nesting).
  const armor = new ApolloArmor({
    maxDepth: { n: 24, ignoreIntrospection: true, flattenFragments: true },
    // aliases are counted by maxAliasesRule below: `__typename` included, gateway probes not
    maxAliases: { enabled: false },
    maxDirectives: { n: 40 },
    maxTokens: { enabled: false },
    costLimit: { maxCost: 50_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  const parseOptions = { maxTokens: 20_000 };
  const validationRules = [...armor.validationRules, maxAliasesRule({ n: 60, ignoreProbes: true }), maxDuplicateFieldsRule()];
  const apollo = new ApolloServer<MemberContext>({
    schema,
    validationRules,
    parseOptions,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    formatError: formatMemberError,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins: [
      ...armor.plugins,
      operationResolutionPlugin(),
      oneDirectiveErrorPlugin(),
      // in production, introspection is for callers a trusted gateway vouches for (the gateway itself reads `_service { sdl }`)
      introspectionPolicyPlugin<MemberContext>((ctx) => !production || !ctx.caller.anonymous),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces would tell a caller how long each field took here: never sent.
      ApolloServerPluginInlineTraceDisabled(),
      listCapPlugin(),
    ],
    logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  await apollo.start();
  const resolveCaller = opts.resolveCaller ?? (async () => ANONYMOUS);
  const attestor = opts.signingKey ? new Attestor(opts.signingKey, opts.member.id) : undefined;
  const metrics = createMemberMetrics();
  opts.registryTrust?.registerMetrics(metrics.registry);
  // read queries share one EntityManager (db/read-entity-manager.ts); everything else (mutations,
  // whatever Apollo's full path answers) gets a fork of its own
  const reader = sharedReadEntityManager(orm);
  const context = (req: IncomingMessage, caller: Caller, em: EntityManager = orm.em.fork()): MemberContext => {
    const scope = { owner: opts.member.id, caller };
    return {
      member: opts.member,
      em,
      caller,
      scope,
      loaders: createLoaders(em, scope),
      acceptLanguage: parseAcceptLanguage(req.headers['accept-language']),
      attestor,
      capped: new Set(),
    };
  };
  // Read queries skip Apollo's per-request pipeline: cached documents, graphql-js execution.
  const executeQuery = createQueryExecutor({
    schema,
    operations: new OperationCache({ schema, validationRules, parseOptions }),
    formatError: formatMemberError,
    extensions: listCapExtension,
  });
  const graphql = createApolloHandler<MemberContext, Caller>({
    server: apollo,
    maxBodyBytes: opts.maxBodyBytes ?? 1_000_000,
    authenticate: resolveCaller,
    pending: opts.pendingChecks ? (req) => opts.pendingChecks!.take(req) : undefined,
    onAuthError: (reason, req, refusal) => logger.warn({ refusal, reason, ip: req.socket.remoteAddress }, 'sub-request refused'),
    // the executor answers read queries only (never a mutation): they take the shared reader
    intercept: ({ req, body, auth }) => executeQuery(req, body, () => context(req, auth, reader)),
    observe: ({ body }, response, startedAt) => metrics.observe(body, response.status, startedAt),
    async context({ req, auth: caller }) {
      return context(req, caller);
    },
  });
  const health: RouteHandler = (_req, res) => sendJson(res, 200, { status: 'ok', member: opts.member.id, schemaVersion: SCHEMA_VERSION });
  const ready = readyRoute({
    memberId: opts.member.id,
    orm,
    timeoutMs: opts.readyTimeoutMs ?? 2000,
    probeGateway: opts.probeGateway,
    registry: opts.registryTrust ? () => opts.registryTrust!.status() : undefined,
    logger,
  });
  const http = await startHttpServer({
    routes: { '/graphql': opts.simulate ? simulated(graphql, opts.simulate) : graphql, '/health': health, '/ready': ready, '/metrics': metrics.route, ...opts.routes },
    port: opts.port,
    host: opts.host,
    logger,
    serviceName: 'this member subgraph',
  });
  logger.info({ url: `${http.url}/graphql` }, 'member subgraph listening');
  let stopping: Promise<void> | undefined;
  return {
    memberId: opts.member.id,
    url: `${http.url}/graphql`,
    port: http.port,
    orm,
    stop(shutdown = {}) {
      stopping ??= (async () => {
        await http.close(shutdown);
        await apollo.stop();
        if (ownsOrm) await orm.close(true);
      })();
      return stopping;
    },
  };
}
