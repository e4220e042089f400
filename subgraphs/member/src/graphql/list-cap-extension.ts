import type { ApolloServerPlugin } from '@apollo/server';
import type { MemberContext } from '../context';
import { MAX_LIST } from '../modules/shared/list-limit';

/**
 * `extensions.capped`: the root lists the member's cap cut in this answer, so that nobody takes a
 * cut list for a whole one (`{ fields: ['services'], limit: 1000 }`). Undefined when nothing was cut.
 */
export function listCapExtension(context: unknown): Record<string, unknown> | undefined {
  const capped = (context as Partial<MemberContext> | undefined)?.capped;
  return capped && capped.size > 0 ? { capped: { fields: [...capped].sort(), limit: MAX_LIST } } : undefined;
}

/** The same extension on Apollo Server's path. */
export function listCapPlugin(): ApolloServerPlugin<MemberContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const extensions = listCapExtension(contextValue);
          if (extensions) response.body.singleResult.extensions = { ...(response.body.singleResult.extensions ?? {}), ...extensions };
        },
      };
    },
  };
}
