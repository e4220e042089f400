import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';

/** True when an operation's root selects `__schema` or `__type` (directly or in fragments). */
export function asksForIntrospection(set: SelectionSetNode, fragments: Record<string, { selectionSet: SelectionSetNode }>, seen = new Set<string>()): boolean {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type')) return true;
    if (s.kind === Kind.INLINE_FRAGMENT && asksForIntrospection(s.selectionSet, fragments, seen)) return true;
    if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value) && fragments[s.name.value]) {
      seen.add(s.name.value);
      if (asksForIntrospection(fragments[s.name.value].selectionSet, fragments, seen)) return true;
    }
  }
  return false;
}

/**
 * Introspection for callers `allowed` lets through (in production: authenticated callers only);
 * everyone else gets HTTP 400 `INTROSPECTION_DISABLED`. The schema itself is the public network
 * contract (schema/network.graphql, and GET /schema.graphql at the gateway), so this hides no
 * secret: it keeps anonymous callers from making the server build large introspection answers.
 */
export function introspectionPolicyPlugin<T extends BaseContext>(allowed: (context: T) => boolean): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue, document }) {
          if (!operation || allowed(contextValue)) return;
          const fragments: Record<string, { selectionSet: SelectionSetNode }> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          if (asksForIntrospection(operation.selectionSet, fragments)) {
            throw new GraphQLError('Introspection needs a token here; the schema is published at /schema.graphql', { extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
