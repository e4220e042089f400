import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { InfraredError, type ErrorCode } from '../../../common/errors';
import type { Registry } from '../../../common/registry/registry.schema';
import type { FetchNetworkChanges as NetworkChanges } from '../changes';
import { decodeNetworkCursor, encodeNetworkCursor } from '../changes/network-cursor';
import type { GatewayContext } from '../context';
import type { FetchNetworkChanges } from './change-source';

/** Refusals of a cursor that a subscriber gets as its stream's error (retrying the same cursor cannot help). */
const REFUSALS = new Set<ErrorCode>(['INVALID_CURSOR', 'CURSOR_EXPIRED']);

/**
 * The shared feeds' source: the gateway's network change feed (gateway/src/changes/), asked for a
 * caller class as a request of its own (the registry as it is now, the request budget), with
 * times as ISO strings and cursor refusals as InfraredErrors. Each change's `cursor` becomes the
 * network cursor just after it (every member's position, that member's moved to this change),
 * so a subscriber can resume from any event, not only from a page's end.
 */
export function feedOverNetworkChanges(fetch: NetworkChanges, registry: () => Registry, budgetMs: number): FetchNetworkChanges {
  return async ({ caller, since, kinds, members, first }) => {
    const context: GatewayContext = { requestId: `feed-${randomUUID()}`, caller, registry: registry(), deadlineAt: Date.now() + budgetMs, reports: [] };
    try {
      const page = await fetch({ context, since, kinds, members, first });
      const positions = decodeNetworkCursor(since);
      const changes = page.changes.map((c) => {
        positions.set(c.member, c.cursor);
        return { ...c, cursor: encodeNetworkCursor(positions), at: c.at instanceof Date ? c.at.toISOString() : String(c.at) };
      });
      return { ...page, changes };
    } catch (err) {
      const code = err instanceof GraphQLError ? (err.extensions?.code as ErrorCode | undefined) : undefined;
      if (code && REFUSALS.has(code)) throw new InfraredError(code, err instanceof Error ? err.message : String(err), { cause: err });
      throw err;
    }
  };
}
