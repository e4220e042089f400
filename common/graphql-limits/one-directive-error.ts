import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

const DIRECTIVE_ERROR = /^(Unknown directive "@([^"]*)"|The directive "@([^"]*)" can only be used once at this location)/;

/**
 * Answers unknown or repeated directives with ONE error, however many there are: graphql-js
 * reports each occurrence (ten `@aa` gave ten errors, plus nine for the repeats), so a small
 * request could make a large answer (graphql-cop's directive overloading).
 */
export function collapseDirectiveErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const names = new Set<string>();
  let first: GraphQLFormattedError | undefined;
  const rest: GraphQLFormattedError[] = [];
  for (const e of errors) {
    const m = DIRECTIVE_ERROR.exec(e.message);
    if (!m) {
      rest.push(e);
      continue;
    }
    names.add(`@${(m[2] ?? m[3]).slice(0, 50)}`);
    first ??= e;
  }
  if (!first) return [...errors];
  const list = [...names].slice(0, 5).join(', ');
  const merged: GraphQLFormattedError = {
    message: `Unknown or repeated directives: ${list}${names.size > 5 ? ', …' : ''}`,
    ...(first.locations ? { locations: first.locations.slice(0, 1) } : {}),
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  };
  return [merged, ...rest];
}

/** The Apollo Server plugin that applies `collapseDirectiveErrors` to every answer. */
export function oneDirectiveErrorPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (errors && errors.length > 1) response.body.singleResult.errors = collapseDirectiveErrors(errors);
        },
      };
    },
  };
}
