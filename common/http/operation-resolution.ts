import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * An `operationName` that names no operation in the document (or a document with several
 * operations and no name) is the client's mistake: HTTP 400 with `OPERATION_RESOLUTION_FAILURE`,
 * before anything runs. Without this, the gateway's executor threw on it and answered HTTP 500.
 */
export function operationResolutionPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName ? `Unknown operation named "${String(request.operationName).slice(0, 100)}"` : 'Must provide operation name if query contains multiple operations';
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}
