import { LRUCache } from 'lru-cache';
import type { Caller } from '../../../common/caller';
import { InfraredError } from '../../../common/errors';
import type { Logger } from '../../../common/logger';
import { callerClass, classCaller } from './caller-class';
import type { ChangeFilter } from './change-filter';
import type { FetchNetworkChanges, NetworkChange } from './change-source';
import { SharedFeed, type FeedEvents, type FeedSubscriber } from './shared-feed';
import { SubscriberQueue } from './subscriber-queue';

export interface SubscriptionHubOptions {
  fetch: FetchNetworkChanges;
  /** How often each shared feed asks upstream. */
  pollMs: number;
  /** Changes per upstream page. */
  pageSize: number;
  /** Changes one subscriber may have waiting; beyond it the subscriber is dropped. */
  bufferSize: number;
  /** Positions each shared feed remembers for resuming subscribers. */
  historySize: number;
  logger: Logger;
  /** Counts upstream pages and dropped subscribers (metrics); optional. */
  events?: FeedEvents;
}

export interface Subscription {
  changes: AsyncIterableIterator<NetworkChange>;
  /**
   * Resolves once the subscription's start is fixed (see FeedSubscriber.positioned): from then on
   * every change committed reaches it. Also resolves when it ends first (then `changes` is done or
   * fails). Acknowledge the subscription to its client only after this.
   */
  ready: Promise<void>;
}

/**
 * The shared feeds, one per caller class, created by the first subscriber and stopped by the
 * last. The position a stopped feed reached is remembered, so the next feed of that class starts
 * there instead of reading the network's history to find "now".
 */
export class SubscriptionHub {
  private readonly feeds = new Map<string, SharedFeed>();
  private readonly heads = new LRUCache<string, string>({ max: 10_000 });
  private closed = false;

  constructor(private readonly opts: SubscriptionHubOptions) {}

  /** Subscribes `caller` to the changes its filter wants, after `since` when given. */
  subscribe(caller: Caller, filter: ChangeFilter, since: string | undefined, drop: (err: InfraredError) => void): Subscription {
    if (this.closed) throw new InfraredError('FEED_UNAVAILABLE', 'the gateway is shutting down; reconnect');
    const key = callerClass(caller);
    let feed = this.feeds.get(key);
    if (!feed) {
      const created: SharedFeed = new SharedFeed({
        key,
        caller: classCaller(caller),
        fetch: this.opts.fetch,
        pollMs: this.opts.pollMs,
        // a page must fit in an empty buffer
        pageSize: Math.min(this.opts.pageSize, this.opts.bufferSize),
        bufferSize: this.opts.bufferSize,
        historyLimit: this.opts.historySize,
        logger: this.opts.logger,
        events: this.opts.events,
        // a subscriber with its own cursor brings the feed to the present exactly (its end becomes
        // the feed's position); a remembered position may be older than that cursor
        startAt: since === undefined ? this.heads.get(key) : undefined,
        onIdle: (cursor) => {
          if (this.feeds.get(key) === created) this.feeds.delete(key);
          if (cursor !== undefined) this.heads.set(key, cursor);
        },
      });
      feed = created;
      this.feeds.set(key, feed);
    }
    const owner = feed;
    let positioned!: () => void;
    const ready = new Promise<void>((resolve) => (positioned = resolve));
    const subscriber: FeedSubscriber = {
      filter,
      queue: new SubscriberQueue<NetworkChange>(this.opts.bufferSize, () => {
        positioned();
        owner.leave(subscriber);
      }),
      positioned,
      drop(err) {
        subscriber.queue.fail(err);
        positioned();
        drop(err);
      },
    };
    owner.join(subscriber, since);
    return { changes: subscriber.queue, ready };
  }

  /** Feeds running and their subscribers (for /metrics and tests). */
  stats(): { feeds: number; subscribers: number } {
    let subscribers = 0;
    for (const feed of this.feeds.values()) subscribers += feed.subscribers;
    return { feeds: this.feeds.size, subscribers };
  }

  /** Feeds that know their position. */
  positions(): number {
    let n = 0;
    for (const feed of this.feeds.values()) if (feed.position !== undefined) n++;
    return n;
  }

  close(): void {
    this.closed = true;
    for (const feed of [...this.feeds.values()]) feed.stop();
  }
}
