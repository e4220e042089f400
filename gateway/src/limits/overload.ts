import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';

/** Seconds a shed caller is asked to wait: queues here drain within about a second. */
export const OVERLOAD_RETRY_AFTER_S = 1;
export const OVERLOADED_MESSAGE = 'The gateway is overloaded; retry after the time in Retry-After';

/**
 * A request any of whose member calls found no slot (queue full, or its wait ran out) was shed
 * by the gateway: it is answered 503 OVERLOADED with Retry-After, never a 200 that quietly lacks
 * a healthy member's data, and the member is not blamed for it.
 */
export function overloadPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue.reports?.some((r) => r.status === 'overloaded')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(OVERLOAD_RETRY_AFTER_S));
          response.body.singleResult = { errors: [{ message: OVERLOADED_MESSAGE, extensions: { code: 'OVERLOADED' } }], extensions: response.body.singleResult.extensions } as never;
        },
      };
    },
  };
}
