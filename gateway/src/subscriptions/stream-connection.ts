import type { ServerResponse } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { InfraredError } from '../../../common/errors';
import { changeFilter } from './change-filter';
import type { NetworkChange } from './change-source';
import type { NetworkChangedArgs, StreamContext } from './stream-schema';
import type { SubscriptionHub } from './subscription-hub';

/** Events handed to the HTTP writer and not yet written: beyond it, the GraphQL side waits (the subscriber's own buffer then fills). */
const WRITE_WINDOW = 16;
/** A dropped stream's socket gets this long to take the error event before it is cut. */
const DROP_GRACE_MS = 5_000;
/** SSE ids are one line; a cursor that could break the framing is not sent as an id. */
const SAFE_ID = /^[\x21-\x7e]{1,4096}$/;

/**
 * One SSE stream's state between graphql-sse and the HTTP response: it opens the subscription
 * on the shared feed, remembers each event's cursor for its `id:` line, keeps the number of
 * events waiting for the socket small, and ends the stream on a drop, an expired token or shutdown.
 */
export class StreamConnection implements StreamContext {
  private readonly ids: (string | undefined)[] = [];
  private current?: string;
  private waiting = 0;
  private wakeWriter?: () => void;
  private subscription?: AsyncIterableIterator<NetworkChange>;
  ended = false;
  /** The Authorization header that opened the stream (rechecked when the registry changes); undefined for anonymous callers. */
  readonly authorization: string | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly caller: Caller,
    private readonly lastEventId: string | undefined,
    private readonly hub: SubscriptionHub,
    private readonly onEnd: () => void,
  ) {
    const header = res.req?.headers.authorization;
    this.authorization = caller.anonymous || typeof header !== 'string' ? undefined : header;
  }

  /**
   * Subscribes on the shared feed and resolves once the subscription's start is fixed, so that
   * graphql-sse answers (and the client sees the stream open) only then: a stream without a
   * cursor gets every change committed after its client saw it open.
   */
  async open(args: NetworkChangedArgs): Promise<AsyncIterableIterator<NetworkChange>> {
    const since = this.lastEventId ?? args.since ?? undefined;
    const { changes, ready } = this.hub.subscribe(this.caller, changeFilter(args), since, (err) => this.fail(err));
    this.subscription = changes;
    if (this.ended) void changes.return!();
    await ready;
    const track = (r: IteratorResult<NetworkChange>) => {
      if (!r.done) this.current = r.value.cursor;
      return r;
    };
    const iterator: AsyncIterableIterator<NetworkChange> = {
      next: () => changes.next().then(track),
      return: () => changes.return!(),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** graphql-sse's onNext: the result about to be queued for writing; waits while the socket is behind. */
  async beforeEvent<R extends { extensions?: Record<string, unknown> }>(result: R): Promise<R> {
    const cursor = this.current;
    this.current = undefined;
    this.ids.push(cursor);
    this.waiting++;
    while (this.waiting > WRITE_WINDOW && !this.ended) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
    return cursor === undefined ? result : { ...result, extensions: { ...result.extensions, cursor } };
  }

  /** The writer's side: the `id:` line for the next `event: next` message. */
  idForNextEvent(): string | undefined {
    const id = this.ids.shift();
    return id !== undefined && SAFE_ID.test(id) ? id : undefined;
  }

  /** The writer flushed one event. */
  written(): void {
    this.waiting--;
    const wake = this.wakeWriter;
    this.wakeWriter = undefined;
    wake?.();
  }

  /** Ends the stream with a GraphQL error event and `complete` (graphql-sse's distinct-connection framing). */
  fail(err: InfraredError): void {
    if (this.ended) return;
    const payload = JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code } }] });
    if (this.res.writable) {
      // ended while being positioned: the stream's answer has not begun yet
      if (!this.res.headersSent) this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      this.res.write(`event: next\ndata: ${payload}\n\nevent: complete\ndata:\n\n`);
    }
    this.finish();
    setTimeout(() => this.res.destroy(), DROP_GRACE_MS).unref();
  }

  /** Ends the stream without `complete`: the client reconnects (with its Last-Event-ID) and resumes. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.wakeWriter?.();
    void this.subscription?.return?.();
    if (!this.res.writableEnded) this.res.end();
    this.onEnd();
  }
}
