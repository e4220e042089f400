import { createClient } from 'graphql-sse';
import { GRAPHQL_PATH } from '../../shared/token';

/** The gateway's GraphQL-over-SSE endpoint, beside /graphql on this origin. */
export const STREAM_PATH = `${GRAPHQL_PATH}/stream`;

/** One change as `networkChanged` sends it (the record itself is fetched by id when needed). */
export interface LiveChange {
  cursor: string;
  kind: string;
  id: string;
  operation: 'UPSERT' | 'REMOVE';
  member: string;
  at: string;
  /** Incidents only. */
  severity: string | null;
}

export const LIVE_SUBSCRIPTION = /* GraphQL */ `
subscription Live($kinds: [RecordKind!]) {
  networkChanged(kinds: $kinds) { cursor kind id operation member at severity }
}`;

export type LiveState = 'connecting' | 'live' | 'retrying' | 'stopped';

/** The longest wait between two reconnection attempts. */
const MAX_RETRY_MS = 30_000;

/**
 * Follows the network's changes of some kinds over SSE (graphql-sse, distinct connections) until
 * `stop()`. A broken stream is opened again with `Last-Event-ID` set to the last change handled,
 * so the gateway resumes after it: nothing is missed and nothing comes twice. A refused token
 * (401/403) ends it: that is no network trouble, and retrying would not help.
 */
export function followChanges(opts: {
  token?: string;
  kinds: string[];
  /** Resume after this cursor (the last change an earlier stream handled). */
  since?: string;
  onChange(change: LiveChange): void;
  onState(state: LiveState): void;
  /** The cursor was too old to resume from: changes may have been missed, reload what is shown. */
  onResync?(): void;
}): { stop(): void; cursor(): string | undefined } {
  let cursor = opts.since;
  let refused = false;
  const client = createClient({
    url: STREAM_PATH,
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    headers: () => ({
      accept: 'text/event-stream',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(cursor ? { 'last-event-id': cursor } : {}),
    }),
    fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await fetch(input, { ...init, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) refused = true;
      return res;
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    retry: async (retries: number) => {
      if (refused) throw new Error('the gateway refused the token for live changes');
      opts.onState('retrying');
      const wait = Math.min(MAX_RETRY_MS, 1000 * 2 ** retries) + Math.floor(Math.random() * 1000);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
  });
  let stopped = false;
  let closeStream: () => void = () => undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** One subscription; when the gateway ends it with an error event, what to do next depends on the code. */
  const open = (): void => {
    let ended: string | undefined;
    opts.onState('connecting');
    closeStream = client.subscribe<{ networkChanged: LiveChange }, { cursor?: string }>(
      { query: LIVE_SUBSCRIPTION, variables: { kinds: opts.kinds } },
      {
        next(result) {
          if (result.errors?.length) {
            ended = String((result.errors[0] as { extensions?: { code?: unknown } }).extensions?.code ?? 'ERROR');
            return;
          }
          const change = result.data?.networkChanged;
          if (!change) return;
          cursor = result.extensions?.cursor ?? change.cursor;
          opts.onChange(change);
        },
        error() {
          if (!stopped) opts.onState('stopped');
        },
        complete() {
          if (stopped) return;
          // an expired token or a refused caller: a person has to act (a new token), not a retry
          if (ended === 'UNAUTHENTICATED' || ended === 'FORBIDDEN' || refused) return opts.onState('stopped');
          // the members no longer keep changes that old: start from now, and reload what is shown
          if (ended === 'CURSOR_EXPIRED') {
            cursor = undefined;
            opts.onResync?.();
          }
          // too slow, or the gateway closed the stream: resume after the last change handled
          opts.onState('retrying');
          retryTimer = setTimeout(open, 1000 + Math.floor(Math.random() * 1000));
        },
      },
      { connected: () => opts.onState('live') },
    );
  };
  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      closeStream();
      client.dispose();
    },
    cursor: () => cursor,
  };
}
