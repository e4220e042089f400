import type { Caller } from '../../../common/caller';
import { InfraredError } from '../../../common/errors';
import type { Logger } from '../../../common/logger';
import type { FetchNetworkChanges, NetworkChange, NetworkChangePage } from './change-source';
import { matchesFilter, type ChangeFilter } from './change-filter';
import { FeedHistory } from './feed-history';
import { LRUCache } from 'lru-cache';
import type { SubscriberQueue } from './subscriber-queue';

/** One subscription as the feed sees it. */
export interface FeedSubscriber {
  filter: ChangeFilter;
  /** Just joined from its own pages: changes it already had, to skip in polls up to `throughPoll`. */
  skip?: { changes: RecentChanges; throughPoll: number };
  queue: SubscriberQueue<NetworkChange>;
  /**
   * The subscriber's start is fixed: every change committed from now on reaches it. Called once:
   * at once with a cursor (the cursor is the start), otherwise when the subscriber joins the live
   * fan-out at a position the feed has read up to (so a stream is acknowledged only then).
   */
  positioned(): void;
  /** The feed gives up on this subscriber (a full buffer, a refused cursor): the stream ends with this error. */
  drop(err: InfraredError): void;
}

export interface SharedFeedOptions {
  /** The caller class (caller-class.ts): everyone here sees the same records. */
  key: string;
  /** Who the upstream calls are made for: a caller of this class. */
  caller: Caller;
  fetch: FetchNetworkChanges;
  pollMs: number;
  pageSize: number;
  /** Changes one subscriber may have waiting (held while it reconciles, too). */
  bufferSize: number;
  historyLimit: number;
  logger: Logger;
  /** A position this class's feed reached in an earlier run: finding "now" reads only what changed since, not the whole history. */
  startAt?: string;
  /** The last subscriber left; the feed has stopped and reports the position it reached. */
  onIdle(cursor: string | undefined): void;
  /** Counts what the feed does (observability/subscription-metrics.ts); optional. */
  events?: FeedEvents;
}

/** What a shared feed reports as it works, for metrics. */
export interface FeedEvents {
  /** One page asked of the network feed (each asks every member once). */
  upstreamPage(): void;
  /** A subscriber dropped because its buffer was full. */
  slowSubscriberDropped(): void;
}

const MAX_BACKOFF_MS = 30_000;
/** Extra reads while finding "now" when members did not answer. */
const HEAD_RETRIES = 3;
/** Upstream failures in a row after which a catching-up subscriber is dropped (it reconnects later). */
const CATCH_UP_ATTEMPTS = 3;
/** Catch-up pages kept for other subscribers resuming from the same cursor (after a restart, all of them). */
const CATCH_UP_PAGES = 256;
/** Polls a joining subscriber's first read is re-read while members do not answer it, before it joins without them. */
const RECONCILE_RETRIES = 5;
/**
 * Polls after a subscriber's join during which the feed still skips the changes the subscriber
 * read itself: a member that did not answer the feed then may bring them in a later poll.
 */
const SKIP_GRACE_POLLS = 10;

/** A change the feed published while a subscriber was reconciling, and the poll it came from. */
interface HeldChange {
  change: NetworkChange;
  poll: number;
}

/** The last changes one subscriber was given, by identity (record id, operation, time), bounded. */
export class RecentChanges {
  private readonly keys = new Set<string>();
  constructor(private readonly limit: number) {}

  static key(change: NetworkChange): string {
    return `${change.id}\u0000${change.operation}\u0000${change.at}`;
  }

  add(change: NetworkChange): void {
    const key = RecentChanges.key(change);
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.limit) this.keys.delete(this.keys.values().next().value!);
  }

  has(change: NetworkChange): boolean {
    return this.keys.has(RecentChanges.key(change));
  }
}

/**
 * One upstream poll of the network feed for every subscriber of one caller class. The feed
 * polls `fetchNetworkChanges` every `pollMs`, remembers the recent past (FeedHistory) and hands
 * each change to the subscribers whose filter wants it. A subscriber that resumes from a cursor
 * follows from memory when the cursor is recent, otherwise from upstream pages (identical page
 * requests of one class share one call) until it reaches the feed's position, where it joins the
 * live fan-out. The feed stops when its last subscriber leaves.
 */
export class SharedFeed {
  private cursor?: string;
  private readonly history: FeedHistory;
  private readonly live = new Set<FeedSubscriber>();
  private readonly following = new Set<FeedSubscriber>();
  /** Subscribers without a cursor, waiting for the feed to know where "now" is. */
  private readonly waitingForHead = new Set<FeedSubscriber>();
  /** Subscribers joining from their own pages: the feed's events for them wait here (reconcile). */
  private readonly holding = new Map<FeedSubscriber, HeldChange[]>();
  private readonly pages = new Map<string, Promise<NetworkChangePage>>();
  /**
   * Pages read for catching-up subscribers, by the position they start at: subscribers resuming
   * from one cursor (every subscriber of a restarted gateway) read the same page, once, and end
   * at the same position, which the feed then knows (they join from memory, exactly).
   */
  private readonly catchUpPages: LRUCache<string, Promise<NetworkChangePage>>;
  private timer?: NodeJS.Timeout;
  private readonly sleepers = new Set<() => void>();
  private polling = false;
  /** Polls of the live feed started so far; waiters for one that starts after a point. */
  private pollsStarted = 0;
  private pollWaiters: { after: number; resolve: (poll: number) => void }[] = [];
  private failures = 0;
  private acquiringHead = false;
  private stopped = false;

  constructor(private readonly opts: SharedFeedOptions) {
    this.history = new FeedHistory(opts.historyLimit);
    this.catchUpPages = new LRUCache({ max: CATCH_UP_PAGES, ttl: Math.max(10_000, 10 * opts.pollMs) });
  }

  get subscribers(): number {
    return this.live.size + this.following.size + this.waitingForHead.size;
  }

  /** The position the feed has reached (undefined until it knows). */
  get position(): string | undefined {
    return this.cursor;
  }

  /** Adds a subscriber: live from now on without `since`, otherwise everything after `since` first. */
  join(sub: FeedSubscriber, since?: string): void {
    if (this.stopped) throw new TypeError('join on a stopped feed');
    if (since === undefined) {
      if (this.cursor !== undefined) {
        this.live.add(sub);
        sub.positioned();
      } else {
        this.waitingForHead.add(sub);
        void this.acquireHead();
      }
      return;
    }
    this.following.add(sub);
    sub.positioned();
    void this.follow(sub, since);
  }

  leave(sub: FeedSubscriber): void {
    this.holding.delete(sub);
    const had = this.live.delete(sub) || this.following.delete(sub) || this.waitingForHead.delete(sub);
    if (had && this.subscribers === 0) this.stop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    for (const wake of this.sleepers) wake();
    for (const waiter of this.pollWaiters.splice(0)) waiter.resolve(Number.MAX_SAFE_INTEGER);
    this.opts.onIdle(this.cursor);
  }

  /** A page for a catching-up subscriber: the one read recently for this position, else a new one. */
  private catchUpPage(position: string): Promise<NetworkChangePage> {
    let page = this.catchUpPages.get(position);
    if (!page) {
      page = this.page(position);
      this.catchUpPages.set(position, page);
      page.catch(() => this.catchUpPages.delete(position));
    }
    return page;
  }

  /** A page after `position`: requests for the same position in flight at once share one upstream call. */
  private page(position: string | undefined): Promise<NetworkChangePage> {
    const key = position ?? '';
    let pending = this.pages.get(key);
    if (!pending) {
      this.opts.events?.upstreamPage();
      pending = this.opts.fetch({ caller: this.opts.caller, since: position, first: this.opts.pageSize });
      this.pages.set(key, pending);
      const forget = () => this.pages.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  private adoptHead(cursor: string): void {
    if (this.cursor !== undefined) return;
    this.cursor = cursor;
    this.history.add(cursor);
    const waiting = [...this.waitingForHead];
    this.waitingForHead.clear();
    for (const sub of waiting) {
      this.live.add(sub);
      sub.positioned();
    }
    this.schedule(this.opts.pollMs);
  }

  /**
   * "Now" for a class without a known position: read the feed to its end, delivering nothing;
   * from the position an earlier feed of this class reached when there is one (only what changed
   * since is read), else from the start. The subscribers waiting for it are positioned only when
   * it is adopted: a change committed after that is after the position, so it reaches them (their
   * streams are acknowledged then, see `positioned`), and nothing committed before is theirs.
   */
  private async acquireHead(): Promise<void> {
    if (this.acquiringHead) return;
    this.acquiringHead = true;
    let position = this.opts.startAt;
    let unanswered = 0;
    try {
      while (!this.stopped && this.cursor === undefined) {
        try {
          const page = await this.page(position);
          position = page.cursor;
          this.failures = 0;
          if (page.hasMore) continue;
          // a member that did not answer has no position yet: its whole present would later
          // arrive as changes, so ask it again a few times before taking this as "now"
          if (page.unavailableMembers.length === 0 || ++unanswered > HEAD_RETRIES) this.adoptHead(position);
          else await this.sleep(this.opts.pollMs);
        } catch (err) {
          // a remembered position the members no longer take (expired): from the start
          if (err instanceof InfraredError && position !== undefined) position = undefined;
          this.opts.logger.warn({ feed: this.opts.key, err: { message: (err as Error).message } }, 'change feed: cannot find the current position; retrying');
          await this.sleep(this.backoff());
        }
      }
    } finally {
      this.acquiringHead = false;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  private backoff(): number {
    this.failures++;
    return Math.min(MAX_BACKOFF_MS, this.opts.pollMs * 2 ** Math.min(this.failures, 10));
  }

  /** One round of the live feed: pages until the end, each change to the live subscribers that want it. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped || this.cursor === undefined) return;
    this.polling = true;
    const started = ++this.pollsStarted;
    let next = this.opts.pollMs;
    try {
      for (;;) {
        const page = await this.page(this.cursor);
        if (this.stopped) return;
        this.publish(page, started);
        this.failures = 0;
        if (!page.hasMore) break;
        await this.roomForNextPage();
      }
      this.pollCompleted(started);
    } catch (err) {
      next = this.backoff();
      this.opts.logger.warn({ feed: this.opts.key, err: { message: (err as Error).message }, retryMs: next }, 'change feed: poll failed');
    } finally {
      this.polling = false;
      this.schedule(next);
    }
  }

  /** Hands a page to the live subscribers (and those being reconciled); `poll` is the poll it came from. */
  private publish(page: NetworkChangePage, poll: number): void {
    for (const change of page.changes) {
      this.history.add(change.cursor, change);
      for (const sub of this.live) {
        if (!matchesFilter(sub.filter, change)) continue;
        if (sub.skip) {
          if (poll > sub.skip.throughPoll) sub.skip = undefined;
          else if (sub.skip.changes.has(change)) continue;
        }
        if (!sub.queue.push(change)) this.overflow(sub);
      }
      for (const [sub, held] of this.holding) {
        if (!matchesFilter(sub.filter, change)) continue;
        if (held.length < this.opts.bufferSize) held.push({ change, poll });
        else {
          this.holding.delete(sub);
          this.overflow(sub);
        }
      }
    }
    this.history.add(page.cursor);
    this.cursor = page.cursor;
  }

  /**
   * In a burst (page after page), readers get up to one poll interval to make room for the next
   * page; a subscriber still without room then is dropped by the next publish, not the others.
   */
  private async roomForNextPage(): Promise<void> {
    const waits = [...this.live].map((sub) => sub.queue.room(this.opts.pageSize));
    if (waits.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.pollMs)))]);
    clearTimeout(timer);
  }

  private overflow(sub: FeedSubscriber): void {
    this.opts.events?.slowSubscriberDropped();
    this.leave(sub);
    sub.drop(new InfraredError('SUBSCRIBER_TOO_SLOW', 'the subscriber did not keep up with the changes; reconnect with the last event id to resume'));
  }

  /**
   * Brings one subscriber from `since` to the feed's position: from memory while the cursor is
   * in the history (exact: it joins the live fan-out in the same tick as it reaches the feed's
   * cursor), else from upstream pages to the end of the feed, then `reconcile`.
   */
  private async follow(sub: FeedSubscriber, since: string): Promise<void> {
    let position = since;
    while (!this.stopped && !sub.queue.closed) {
      if (this.cursor !== undefined && position === this.cursor) {
        this.following.delete(sub);
        this.live.add(sub);
        return;
      }
      const remembered = this.history.after(position, this.opts.pageSize);
      if (remembered && remembered.cursor !== position) {
        if (!this.deliver(sub, remembered.changes)) return;
        position = remembered.cursor;
        await sub.queue.room(this.opts.pageSize);
        continue;
      }
      const page = await this.pageFor(sub, position, true);
      if (!page || this.stopped || sub.queue.closed) return;
      if (!this.deliver(sub, page.changes)) return;
      position = page.cursor;
      if (page.hasMore) {
        await sub.queue.room(this.opts.pageSize);
        continue;
      }
      // at the end of the feed: "now" for a feed that did not know it yet (then exact, above)
      if (this.cursor === undefined) this.adoptHead(position);
      else if (position !== this.cursor && !this.history.has(position)) return this.reconcile(sub, position);
    }
  }

  /**
   * Joins a subscriber that reached the present on its own pages (at `position`, E) to the live
   * fan-out. Cursors are opaque (members seal theirs), so the feed cannot tell whether it stands
   * before or after E; it orders them by time instead:
   * 1. the feed's events for this subscriber are held (with the poll that published them), and
   *    the subscriber waits for a poll of the feed that starts now: once it completes, the feed
   *    stands at F ≥ E;
   * 2. the subscriber reads on from E to the end once more (R: everything in (E, F] and a little
   *    more);
   * 3. held events from polls up to step 1 are all ≤ F: it had them (≤ E) or got them in R, so
   *    they are dropped; later held events are delivered unless R had them (same record,
   *    operation and time); and it is live, still skipping R's changes in polls that began before
   *    R ended (and a few more: a member that did not answer the feed brings them later). Every
   *    change after E arrives once, in order.
   * R is read again (up to RECONCILE_RETRIES polls) while a member does not answer it; a member
   * still silent then is not in R, so its held events are all delivered (some may repeat; none is
   * lost).
   */
  private async reconcile(sub: FeedSubscriber, position: string): Promise<void> {
    const held: HeldChange[] = [];
    this.holding.set(sub, held);
    const reached = await this.pollStartedAfterNow();
    const fromR = new RecentChanges(Number.MAX_SAFE_INTEGER);
    /** Members that did not answer R: their held events are delivered whatever their poll (R may lack them). */
    const unanswered = new Set<string>();
    let retries = 0;
    let cursor = position;
    for (;;) {
      if (this.stopped || sub.queue.closed || !this.holding.has(sub)) return;
      const page = await this.pageFor(sub, cursor, false);
      if (!page || this.stopped || sub.queue.closed || !this.holding.has(sub)) {
        this.holding.delete(sub);
        return;
      }
      // R must hold every member's changes up to F: read the page again while members do not answer
      if (page.unavailableMembers.length > 0 && retries++ < RECONCILE_RETRIES) {
        await this.sleep(this.opts.pollMs);
        continue;
      }
      for (const member of page.unavailableMembers) unanswered.add(member);
      if (!this.deliver(sub, page.changes, fromR)) {
        this.holding.delete(sub);
        return;
      }
      cursor = page.cursor;
      if (!page.hasMore) break;
      await sub.queue.room(this.opts.pageSize);
    }
    this.holding.delete(sub);
    this.following.delete(sub);
    const later = held.filter((h) => (h.poll > reached || unanswered.has(h.change.member)) && !fromR.has(h.change)).map((h) => h.change);
    if (!this.deliver(sub, later)) return;
    sub.skip = { changes: fromR, throughPoll: this.pollsStarted + SKIP_GRACE_POLLS };
    this.live.add(sub);
  }

  /** Resolves, with that poll's number, when a poll of the live feed that starts after this call has completed (or the feed stops). */
  private pollStartedAfterNow(): Promise<number> {
    const after = this.pollsStarted;
    return new Promise((resolve) => this.pollWaiters.push({ after, resolve }));
  }

  private pollCompleted(started: number): void {
    this.pollWaiters = this.pollWaiters.filter((w) => {
      if (started <= w.after) return true;
      w.resolve(started);
      return false;
    });
  }

  /** A page for one following subscriber; on a refusal or repeated failures the subscriber is dropped (undefined). */
  private async pageFor(sub: FeedSubscriber, position: string, reuse: boolean): Promise<NetworkChangePage | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (reuse ? this.catchUpPage(position) : this.page(position));
      } catch (err) {
        if (err instanceof InfraredError || attempt >= CATCH_UP_ATTEMPTS) {
          this.holding.delete(sub);
          this.leave(sub);
          sub.drop(err instanceof InfraredError ? err : new InfraredError('FEED_UNAVAILABLE', 'the network change feed is unavailable; reconnect later', { cause: err }));
          return undefined;
        }
        await this.sleep(this.opts.pollMs * 2 ** attempt);
        if (this.stopped || sub.queue.closed) return undefined;
      }
    }
  }

  private deliver(sub: FeedSubscriber, changes: NetworkChange[], recent?: RecentChanges): boolean {
    for (const change of changes) {
      if (!matchesFilter(sub.filter, change)) continue;
      recent?.add(change);
      if (!sub.queue.push(change)) {
        this.overflow(sub);
        return false;
      }
    }
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }
}
