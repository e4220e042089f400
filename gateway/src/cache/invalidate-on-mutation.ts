import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext, MemberReport } from '../context';
import type { ResponseCache } from './response-cache';

/**
 * True when a member call of this request may have changed data: the member was asked (an
 * answer, an error or a timeout: a write that timed out may still have committed). Calls that
 * were never made (incompatible schema, open breaker) do not count.
 */
export function reachedAMember(reports: readonly MemberReport[]): boolean {
  return reports.some((r) => r.status !== 'skipped' && r.status !== 'circuit_open');
}

/**
 * Drops every cached answer after each mutation that reached a member, whatever its outcome: a
 * mutation whose first field made a record OWNER and whose second field failed has still
 * changed what anonymous callers may see. It runs before the answer is sent, so the writer's
 * next read cannot be served from before its write. A mutation refused before any member call
 * (anonymous, malformed, over a limit) invalidates nothing, so it cannot be used to empty the
 * cache for everyone.
 */
export function invalidateOnMutationPlugin(cache: ResponseCache): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation === 'mutation' && reachedAMember(contextValue.reports)) await cache.invalidate();
        },
      };
    },
  };
}
