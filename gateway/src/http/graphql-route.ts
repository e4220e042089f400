import type { ApolloServer } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { ForwardedProof } from '../../../common/auth/forwarded-proof';
import { createApolloHandler } from '../../../common/http/apollo-handler';
import type { RouteHandler } from '../../../common/http/server';
import type { Logger } from '../../../common/logger';
import type { RegistryWatcher } from '../../../common/registry/registry-watcher';
import { authenticate, type ProofSettings } from '../auth/authenticate';
import { cacheHitShortcut } from '../cache/cache-hit-shortcut';
import type { HttpResponseCache } from '../cache/http-response-cache';
import { PublicAnswerCaching } from '../cache/public-answer-caching';
import type { GatewayConfig } from '../config';
import { createRequestContext, type GatewayContext } from '../context';
import { withAdmission } from '../limits/admission';
import { ConcurrencyLimiter } from '../limits/concurrency-limiter';
import { admitByBudget, type CallerBudget } from '../limits/rate-limit';
import type { GatewayMetrics } from '../observability/metrics';
import { operationGate } from '../planning/operation-gate';

/**
 * `/graphql` at the HTTP edge, in order: the caller's token (one generic 401, the refusal code
 * in the log), one rate-limit point, the persisted-operation gate and text normalization, the
 * response cache (a request whose exact bytes it answered before: at once, before its body is parsed), then admission (a bounded number execute, a bounded queue waits briefly, the
 * rest is shed with 503) and GraphQL; public GET answers get an ETag (PublicAnswerCaching). Draining at shutdown is the HTTP server's (common/http/server.ts).
 */
export function graphqlRoute(parts: {
  apollo: ApolloServer<GatewayContext>;
  config: GatewayConfig;
  registry: RegistryWatcher;
  budget: CallerBudget;
  knownOperations: ReadonlyMap<string, string>;
  httpCache?: HttpResponseCache;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Proven callers: this gateway's endpoints and its proof replay cache. */
  proofs?: ProofSettings;
}): RouteHandler {
  const { apollo, config, registry, httpCache, metrics, logger } = parts;
  const caching = new PublicAnswerCaching();
  const admission = new ConcurrencyLimiter(config.maxConcurrentRequests, config.admissionQueue);
  // what a proven caller's request forwards to the members, kept from authentication to the context
  const forwards = new WeakMap<IncomingMessage, ForwardedProof>();
  const admit = admitByBudget(parts.budget);
  const gate = operationGate({ onlyPersisted: config.onlyPersistedOperations, known: parts.knownOperations, maxTokens: config.maxTokens });
  const apolloHandler: RouteHandler = createApolloHandler<GatewayContext, Caller>({
    server: withAdmission(apollo, admission, config.admissionWaitMs, () => metrics.shed.inc({ stage: 'request' })),
    maxBodyBytes: config.maxRequestBodyBytes,
    async authenticate(req, rawBody) {
      const { caller, forward } = await authenticate(req, rawBody, registry.registry, parts.proofs);
      if (forward) forwards.set(req, forward);
      return caller;
    },
    onAuthError: (reason, req, refusal) => logger.warn({ refusal, reason, ip: req.socket.remoteAddress }, 'caller token refused'),
    async context({ req, auth }) {
      const context = createRequestContext(req, auth, registry.registry, config.requestBudgetMs);
      context.forwardProof = forwards.get(req);
      httpCache?.track(req, context);
      caching.track(req, context);
      return context;
    },
    async intercept(request) {
      return gate(request) ?? (await httpCache?.intercept(request));
    },
    observe(request, response, startedAt) {
      const operation = metrics.operations.label((request.body as { operationName?: unknown } | undefined)?.operationName, response.status === 200);
      metrics.requests.inc({ operation, status: String(response.status) });
      metrics.requestSeconds.observe({ operation }, (performance.now() - startedAt) / 1000);
      httpCache?.observe(request, response, operation);
    },
    caching: (request, response) => caching.headers(request, response),
    admit,
    // a request whose exact bytes were answered from the cache before: answered before its body is parsed
    shortcut: httpCache && cacheHitShortcut({ httpCache, admit, metrics }),
  });
  return apolloHandler;
}
