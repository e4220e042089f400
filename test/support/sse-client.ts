import { request } from 'undici';
import { SseParser, type SseEvent } from '../../scripts/watch/sse-parser';

export interface OpenStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body when the gateway did not open a stream (an error answer). */
  text?: string;
  /** Every event so far, in order (comments included as `event: "comment"` when `keepComments`). */
  events: SseEvent[];
  /** Waits until `count` events of type `next` have arrived; returns them. */
  next(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** Waits for an event that satisfies `test`. */
  waitFor(test: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A plain SSE client for the tests: POSTs a subscription to the stream route and collects the
 * events as they arrive (heartbeat comments are recorded as events named "comment").
 */
export async function openStream(
  url: string,
  query: string,
  opts: { token?: string; lastEventId?: string; variables?: Record<string, unknown>; headers?: Record<string, string>; method?: 'GET' | 'POST' } = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  const method = opts.method ?? 'POST';
  const target = method === 'GET' ? `${url}?query=${encodeURIComponent(query)}` : url;
  if (method === 'GET') delete headers['content-type'];
  const res = await request(target, { method, headers, body: method === 'POST' ? JSON.stringify({ query, variables: opts.variables }) : undefined, signal: abort.signal, bodyTimeout: 0 });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
  if (!isStream) {
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      text,
      events,
      next: () => Promise.reject(new Error(`no stream: ${text}`)),
      waitFor: () => Promise.reject(new Error(`no stream: ${text}`)),
      ended: Promise.resolve(),
      close: () => undefined,
    };
  }
  const parser = new SseParser();
  const ended = (async () => {
    try {
      for await (const chunk of res.body) {
        const text = chunk.toString();
        for (const line of text.split('\n')) if (line.startsWith(':') && line.length > 1) events.push({ event: 'comment', data: line.slice(1).trim() });
        events.push(...parser.push(text));
        notify();
      }
    } catch {
      // closed by us, or cut
    }
    notify();
  })();
  let done = false;
  void ended.then(() => (done = true));
  const waitFor = (test: (e: SseEvent) => boolean, timeoutMs = 15_000) =>
    new Promise<SseEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(test);
        if (found) {
          cleanup();
          resolve(found);
        } else if (done) {
          cleanup();
          reject(new Error(`the stream ended; events: ${JSON.stringify(events)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out; events so far: ${JSON.stringify(events).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    status: res.statusCode,
    headers: res.headers,
    events,
    async next(count, timeoutMs) {
      await waitFor(() => events.filter((e) => e.event === 'next').length >= count, timeoutMs);
      return events.filter((e) => e.event === 'next').slice(0, count);
    },
    waitFor,
    ended,
    close: () => abort.abort(),
  };
}

/** The change inside a `next` event. */
export function changeOf(event: SseEvent): Record<string, unknown> {
  const payload = JSON.parse(event.data) as { data?: { networkChanged?: Record<string, unknown> }; errors?: unknown[] };
  if (!payload.data?.networkChanged) throw new Error(`not a change: ${event.data}`);
  return payload.data.networkChanged;
}
