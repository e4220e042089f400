import { GraphQLError } from 'graphql';
import type { MemberContext } from '../context';

/**
 * Writes are for the member's own callers with the `write` scope, whatever gateway they came
 * through. This is checked here, at the owner; the gateway's routing is only a convenience.
 */
export function requireOwnWrite(ctx: MemberContext): void {
  const { caller } = ctx;
  if (caller.unproven) {
    throw new GraphQLError(`${ctx.member.id} accepts writes only from proven callers: a token bound to the caller's key, and the caller's proof for the request`, {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  if (caller.anonymous || !caller.member) {
    throw new GraphQLError('Writes need a token issued by a member', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  if (caller.member !== ctx.member.id || !caller.scopes.includes('write')) {
    throw new GraphQLError(`Only ${ctx.member.id}'s own callers with the "write" scope can change its data`, { extensions: { code: 'FORBIDDEN' } });
  }
}
