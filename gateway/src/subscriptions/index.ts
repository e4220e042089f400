import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Caller } from '../../../common/caller';
import type { Refusal } from '../../../common/http/apollo-handler';
import type { Logger } from '../../../common/logger';
import type { GatewayConfig } from '../config';
import type { SubscriptionMetrics } from '../observability/subscription-metrics';
import type { FetchNetworkChanges } from './change-source';
import { buildStreamSchema } from './stream-schema';
import { StreamLimits } from './stream-limits';
import { streamRoute } from './stream-route';
import { SubscriptionHub } from './subscription-hub';

export { SUBSCRIPTION_SDL } from './stream-schema';

/**
 * Live subscriptions: the shared feeds over `fetchNetworkChanges` and the `/graphql/stream`
 * route. `close()` ends every stream (clients resume elsewhere with their last event id).
 */
export function createSubscriptions(opts: {
  config: GatewayConfig;
  fetch: FetchNetworkChanges;
  apiSchema(): GraphQLSchema | undefined;
  authenticate(req: IncomingMessage, rawBody: Buffer): Promise<Caller>;
  onAuthError(reason: string, req: IncomingMessage, refusal: string): void;
  admit(req: IncomingMessage, caller: Caller): Refusal | undefined | Promise<Refusal | undefined>;
  validationRules: ValidationRule[];
  /** Whether the Authorization header that opened a stream is still accepted (the registry's revocations): see `recheckCallers`. */
  stillValid(authorization: string): Promise<boolean>;
  metrics?: SubscriptionMetrics;
  logger: Logger;
}) {
  const { config, logger } = opts;
  const hub = new SubscriptionHub({
    fetch: opts.fetch,
    pollMs: config.streamPollMs,
    pageSize: config.streamPageSize,
    bufferSize: config.streamBufferSize,
    historySize: config.streamHistorySize,
    logger,
    events: opts.metrics && { upstreamPage: opts.metrics.upstreamPoll, slowSubscriberDropped: () => opts.metrics!.dropped('slow_consumer') },
  });
  opts.metrics?.observe(() => hub.stats());
  let built: { from: GraphQLSchema; schema: GraphQLSchema } | undefined;
  const schema = () => {
    const api = opts.apiSchema();
    if (!api) return undefined;
    if (built?.from !== api) built = { from: api, schema: buildStreamSchema(api) };
    return built.schema;
  };
  const route = streamRoute({
    hub,
    limits: new StreamLimits(config.maxSubscriptions, config.maxSubscriptionsPerCaller),
    schema,
    authenticate: opts.authenticate,
    onAuthError: opts.onAuthError,
    admit: opts.admit,
    validationRules: opts.validationRules,
    maxTokens: config.maxTokens,
    maxBodyBytes: config.maxRequestBodyBytes,
    heartbeatMs: config.streamHeartbeatMs,
    production: config.production,
    metrics: opts.metrics,
    logger,
  });
  return {
    route: route.handler,
    stats: () => hub.stats(),
    /** Shared feeds that know where the present is (a change made now reaches their subscribers). */
    positions: () => hub.positions(),
    /** Ends the open streams whose caller token is no longer accepted (call it when the registry changes); resolves with how many. */
    recheckCallers: () => route.recheckCallers(opts.stillValid),
    close() {
      route.close();
      hub.close();
    },
  };
}
