import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Caller } from '../../../common/caller';
import type { Logger } from '../../../common/logger';
import type { GatewayConfig } from '../config';
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
  admit(req: IncomingMessage, caller: Caller): Promise<{ status: number; code: string; message: string; headers?: Record<string, string> } | undefined>;
  validationRules: ValidationRule[];
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
  });
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
    logger,
  });
  return {
    route: route.handler,
    stats: () => hub.stats(),
    /** Shared feeds that know where the present is (a change made now reaches their subscribers). */
    positions: () => hub.positions(),
    close() {
      route.close();
      hub.close();
    },
  };
}
