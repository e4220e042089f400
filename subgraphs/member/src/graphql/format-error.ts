import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

// 57014: statement_timeout cancelled the statement; 55P03: lock_timeout
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '57014', '55P03', '08000', '08003', '08006', '08001', '08004']);

/** True for errors that mean "the database is not reachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|Knex: Timeout acquiring a connection|terminating connection|Query read timeout|^timeout expired$|canceling statement due to statement timeout/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}

/**
 * Errors a client can read, without internals: a database outage becomes DATABASE_UNAVAILABLE
 * (the member's data is intact, try again), and any other unexpected error a generic message.
 */
export function formatMemberError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isDatabaseUnavailable(original)) {
    return { message: "The member's database is unavailable; try again shortly", path: formatted.path, extensions: { code: 'DATABASE_UNAVAILABLE' } };
  }
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
    return { message: 'Internal error in the member subgraph', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
}
