import { request } from 'undici';
import type { JWK } from 'jose';
import { authorizationHeaders } from './caller-auth';
import { SseParser } from './sse-parser';

/** A failure that retrying cannot fix (a refused token, a bad subscription): the follower stops with it. */
export class FollowError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface FollowOptions {
  /** The gateway's stream endpoint, `…/graphql/stream`. */
  url: string;
  /** A subscription operation (one root field, `networkChanged`). */
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  /** The private caller key `token` is bound to (cnf.jkt): each connection is then a proven request, signed afresh. */
  callerKey?: JWK;
  /** The cursor to resume after (the last one handled); without it, changes from now on. */
  since?: string;
  signal?: AbortSignal;
  /**
   * Called once per change, in order, one at a time: the next event is not read before it
   * resolves. When it throws, following stops and `followChanges` rejects with that error.
   */
  handle(change: Record<string, unknown>, cursor: string | undefined): Promise<void>;
  /** Progress for a person: connected, disconnected, reconnecting. */
  onStatus?(message: string): void;
  /** Reconnection backoff (doubling). */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** A stream silent for this long (no event, no heartbeat) is taken as dead and reopened. */
  idleTimeoutMs?: number;
}

/** A failure of the caller's handler, carried through the reconnection logic untouched. */
class HandlerError extends Error {
  constructor(readonly cause: unknown) {
    super('handler failed');
  }
}

/** Errors in an event after which reconnecting (from the last cursor) is the cure. */
const RETRYABLE = new Set(['SUBSCRIBER_TOO_SLOW', 'FEED_UNAVAILABLE', 'SHUTTING_DOWN', 'OVERLOADED', 'RATE_LIMITED', 'TOO_MANY_SUBSCRIPTIONS']);

interface EventPayload {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cursor?: string };
}

/**
 * Follows a live subscription at the gateway over SSE, resuming across disconnections with
 * `Last-Event-ID` (the last cursor handled), so no change is lost and none is handled twice. Runs
 * until `signal` aborts (resolves) or a failure retrying cannot fix (throws FollowError).
 */
export async function followChanges(opts: FollowOptions): Promise<void> {
  const minRetry = opts.minRetryMs ?? 1000;
  const maxRetry = opts.maxRetryMs ?? 30_000;
  let since = opts.since;
  let retry = minRetry;
  while (!opts.signal?.aborted) {
    let wait = retry;
    try {
      const body = JSON.stringify({ query: opts.query, variables: opts.variables });
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        ...(await authorizationHeaders({ token: opts.token, key: opts.callerKey }, { url: opts.url, body })),
      };
      if (since) headers['last-event-id'] = since;
      const res = await request(opts.url, {
        method: 'POST',
        headers,
        body,
        signal: opts.signal,
        bodyTimeout: opts.idleTimeoutMs ?? 60_000,
        headersTimeout: 30_000,
      });
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        const text = await res.body.text();
        const error = parseError(text);
        if (res.statusCode === 401) throw new FollowError(`the gateway refused the token (401): ${error.message}`, 'UNAUTHENTICATED');
        if (res.statusCode === 429 || res.statusCode >= 500) {
          const after = Number(res.headers['retry-after']);
          wait = Number.isFinite(after) && after > 0 ? after * 1000 : retry;
          opts.onStatus?.(`the gateway answered ${res.statusCode} (${error.code ?? 'error'}: ${error.message}); retrying in ${Math.round(wait / 1000)} s`);
        } else {
          throw new FollowError(`the gateway refused the subscription (${res.statusCode} ${error.code ?? ''}): ${error.message}`.replace('( ', '(').replace(' )', ')'), error.code);
        }
      } else {
        opts.onStatus?.(since ? `connected; resuming after ${abbreviate(since)}` : 'connected; following changes from now on');
        retry = minRetry;
        const parser = new SseParser();
        const decoder = new TextDecoder();
        let completed = false;
        for await (const chunk of res.body) {
          for (const event of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) {
            if (event.event === 'complete') completed = true;
            if (event.event !== 'next') continue;
            const payload = JSON.parse(event.data) as EventPayload;
            if (payload.errors?.length) {
              const [first] = payload.errors;
              const code = first.extensions?.code;
              if (code && RETRYABLE.has(code)) {
                opts.onStatus?.(`the stream ended (${code}: ${first.message}); reconnecting`);
                break;
              }
              throw new FollowError(`${code ?? 'ERROR'}: ${first.message}`, code);
            }
            const change = payload.data && Object.values(payload.data)[0];
            if (!change) continue;
            if (opts.signal?.aborted) return;
            const cursor = event.id ?? payload.extensions?.cursor;
            try {
              await opts.handle(change, cursor);
            } catch (err) {
              throw new HandlerError(err);
            }
            if (cursor) since = cursor;
          }
          if (completed) break;
        }
        if (opts.signal?.aborted) return;
        opts.onStatus?.('the stream closed; reconnecting');
        wait = minRetry;
      }
    } catch (err) {
      // the handler's own failure ends following, with its error (the change stays unhandled)
      if (err instanceof HandlerError) throw err.cause;
      if (err instanceof FollowError || opts.signal?.aborted) {
        if (opts.signal?.aborted && !(err instanceof FollowError)) return;
        throw err;
      }
      if (err instanceof SyntaxError) throw new FollowError(`the gateway sent an event that is not JSON: ${err.message}`);
      const reason = (err as { code?: string }).code ?? (err as Error).message;
      opts.onStatus?.(`disconnected (${reason}); reconnecting in ${Math.round(wait / 1000)} s`);
    }
    await sleep(wait, opts.signal);
    retry = Math.min(maxRetry, retry * 2);
  }
}

function parseError(text: string): { message: string; code?: string } {
  try {
    const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const first = body.errors?.[0];
    if (first) return { message: first.message, code: first.extensions?.code };
  } catch {
    // not JSON
  }
  return { message: text.slice(0, 200) || 'no detail' };
}

function abbreviate(cursor: string): string {
  return cursor.length > 24 ? `${cursor.slice(0, 20)}…` : cursor;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
