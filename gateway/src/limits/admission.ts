import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import { OVERLOADED_MESSAGE, OVERLOAD_RETRY_AFTER_S } from './overload';

/**
 * Request admission around GraphQL execution: a request takes a slot only once its body is read
 * and its caller authenticated and admitted by the rate limit (so a client that sends its body
 * slowly holds no slot), and answers from the response cache never need one. Without a slot
 * within `waitMs`, the answer is 503 OVERLOADED with Retry-After.
 */
export function withAdmission<TContext extends BaseContext>(server: ApolloServer<TContext>, limiter: ConcurrencyLimiter, waitMs: number, onShed: () => void): ApolloServer<TContext> {
  const execute = server.executeHTTPGraphQLRequest.bind(server);
  const admitted: Pick<ApolloServer<TContext>, 'executeHTTPGraphQLRequest'> = {
    async executeHTTPGraphQLRequest(request) {
      const release = await limiter.acquire(waitMs);
      if (!release) {
        onShed();
        return overloaded();
      }
      try {
        return await execute(request);
      } finally {
        release();
      }
    },
  };
  // the HTTP handler only ever calls executeHTTPGraphQLRequest
  return admitted as ApolloServer<TContext>;
}

function overloaded(): HTTPGraphQLResponse {
  const headers = new HeaderMap([
    ['content-type', 'application/json; charset=utf-8'],
    ['retry-after', String(OVERLOAD_RETRY_AFTER_S)],
  ]);
  return { status: 503, headers, body: { kind: 'complete', string: JSON.stringify({ errors: [{ message: OVERLOADED_MESSAGE, extensions: { code: 'OVERLOADED' } }] }) } };
}
