import { ANONYMOUS, type Caller } from '../../../common/caller';
import { InfraredError } from '../../../common/errors';
import { createLogger } from '../../../common/logger';
import { changeFilter } from './change-filter';
import type { NetworkChange, NetworkChangePage, NetworkChangesRequest } from './change-source';
import { SubscriptionHub, type SubscriptionHubOptions } from './subscription-hub';

/**
 * An in-memory network feed with the contract's semantics: an append-only log, pages of at most
 * `first`. The cursor after change n is `c<n>`; sealed, it also carries a fresh random part each
 * time it is issued, as members' sealed cursors do (equal positions, different strings). Every
 * call is recorded.
 */
class LogFeed {
  readonly log: NetworkChange[] = [];
  readonly calls: NetworkChangesRequest[] = [];
  failWith?: Error;
  /** How long each call takes, like a member's answer over the network. */
  delayMs = 0;

  constructor(private readonly sealed = false) {}

  private cursorAt(n: number): string {
    return this.sealed ? `c${n}~${Math.random().toString(36).slice(2)}` : `c${n}`;
  }

  add(kind: string, member: string, severity?: string, operation: 'UPSERT' | 'REMOVE' = 'UPSERT'): NetworkChange {
    const n = this.log.length + 1;
    const change: NetworkChange = { cursor: `c${n}`, kind, id: `${member}:r${n}`, operation, at: new Date().toISOString(), member, severity: severity ?? null };
    this.log.push(change);
    return change;
  }

  fetch = async (request: NetworkChangesRequest): Promise<NetworkChangePage> => {
    this.calls.push(request);
    await (this.delayMs > 0 ? new Promise((r) => setTimeout(r, this.delayMs)) : Promise.resolve());
    if (this.failWith) throw this.failWith;
    const since = request.since;
    const parsed = since === undefined ? undefined : /^c(\d+)(~\w+)?$/.exec(since);
    if (since !== undefined && !parsed) throw new InfraredError('BAD_SUBSCRIPTION', 'unknown cursor');
    const from = parsed ? Number(parsed[1]) : 0;
    const first = request.first ?? 100;
    const changes = this.log.slice(from, from + first).map((c, i) => ({ ...c, cursor: this.cursorAt(from + i + 1) }));
    const end = from + changes.length;
    return { changes, cursor: this.cursorAt(end), hasMore: end < this.log.length, unavailableMembers: [] };
  };
}

const logger = createLogger('test', 'silent');
const alphaCaller: Caller = { anonymous: false, member: 'alpha', subject: 'bot', scopes: ['read'] };

function hubOver(feed: LogFeed, over: Partial<SubscriptionHubOptions> = {}): SubscriptionHub {
  return new SubscriptionHub({ fetch: feed.fetch, pollMs: 10, pageSize: 50, bufferSize: 100, historySize: 1000, logger, ...over });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads every change a subscription delivers into an array, in the background. */
function collect(changes: AsyncIterableIterator<NetworkChange>): { got: NetworkChange[]; error?: Error } {
  const out: { got: NetworkChange[]; error?: Error } = { got: [] };
  void (async () => {
    try {
      for await (const c of changes) out.got.push(c);
    } catch (err) {
      out.error = err as Error;
    }
  })();
  return out;
}

/** Which changes arrived, by their place in the log: `c<n>` (whatever the cursor strings). */
const ids = (changes: NetworkChange[]) => changes.map((c) => `c${c.id.split(':r')[1]}`);

describe('SubscriptionHub', () => {
  let hub: SubscriptionHub;
  afterEach(() => hub?.close());

  it('gives a subscriber without a cursor only what changes after it joined', async () => {
    const feed = new LogFeed();
    feed.add('SERVICE', 'alpha');
    feed.add('SERVICE', 'beta');
    hub = hubOver(feed);
    const sub = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    const seen = collect(sub.changes);
    await sub.ready;
    feed.add('INCIDENT', 'alpha', 'HIGH');
    await waitFor(() => seen.got.length === 1, 'the new change');
    expect(ids(seen.got)).toEqual(['c3']);
  });

  it('is ready for a subscriber without a cursor only once the feed stands at the present: a change made right then arrives, however long finding it took', async () => {
    const feed = new LogFeed(true);
    feed.delayMs = 20;
    // six pages of history to read before the present: the walk takes over 100 ms
    for (let i = 0; i < 300; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed);
    const first = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    const firstSeen = collect(first.changes);
    let firstReady = false;
    void first.ready.then(() => (firstReady = true));
    await new Promise((r) => setTimeout(r, 40));
    expect(firstReady).toBe(false);
    // a second subscriber of the class arrives while the present is still being found
    const second = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    const secondSeen = collect(second.changes);
    await first.ready;
    feed.add('INCIDENT', 'alpha', 'HIGH');
    await second.ready;
    await waitFor(() => firstSeen.got.length === 1 && secondSeen.got.length === 1, 'the change made at once');
    // a subscriber joining the running feed is ready at once, and so gets what is made next
    const third = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    const thirdSeen = collect(third.changes);
    await third.ready;
    feed.add('INCIDENT', 'beta', 'LOW');
    await waitFor(() => thirdSeen.got.length === 1 && firstSeen.got.length === 2, 'the next change');
    expect(ids(firstSeen.got)).toEqual(['c301', 'c302']);
    expect(ids(secondSeen.got)).toEqual(['c301', 'c302']);
    expect(ids(thirdSeen.got)).toEqual(['c302']);
  });

  it('is ready at once for a subscriber with a cursor (its cursor is its start), and ready when a subscription ends before it was positioned', async () => {
    const feed = new LogFeed();
    feed.delayMs = 20;
    for (let i = 0; i < 300; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed);
    const resuming = hub.subscribe(ANONYMOUS, changeFilter({}), 'c299', () => undefined);
    let resumingReady = false;
    void resuming.ready.then(() => (resumingReady = true));
    await Promise.resolve();
    expect(resumingReady).toBe(true);
    const seen = collect(resuming.changes);
    await waitFor(() => seen.got.length === 1, 'the change after the cursor');
    expect(ids(seen.got)).toEqual(['c300']);
    const leaving = hub.subscribe(alphaCaller, changeFilter({}), undefined, () => undefined);
    await leaving.changes.return!();
    await leaving.ready;
    expect(hub.stats().subscribers).toBe(1);
  });

  it('polls upstream once per round for every subscriber of one caller class, and separately per class', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed, { pollMs: 50 });
    const anonymous = Array.from({ length: 200 }, () => collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes));
    const members = Array.from({ length: 50 }, (_, i) => collect(hub.subscribe({ ...alphaCaller, subject: `s${i}` }, changeFilter({}), undefined, () => undefined).changes));
    expect(hub.stats()).toEqual({ feeds: 2, subscribers: 250 });
    await waitFor(() => feed.calls.length >= 2, 'both feeds to start');
    feed.calls.length = 0;
    feed.add('SERVICE', 'alpha');
    await waitFor(() => [...anonymous, ...members].every((s) => s.got.length === 1), 'every subscriber to get the change');
    const started = Date.now();
    const before = feed.calls.length;
    await new Promise((r) => setTimeout(r, 500));
    const rounds = (Date.now() - started) / 50;
    // two classes, one call per class per round (timers may run late, never more often)
    expect(feed.calls.length - before).toBeLessThanOrEqual(2 * Math.ceil(rounds) + 2);
    expect(new Set(feed.calls.map((c) => (c.caller.anonymous ? 'anonymous' : c.caller.member)))).toEqual(new Set(['anonymous', 'alpha']));
    // the class's calls are made for a reader of that member, never with more than read
    for (const call of feed.calls.filter((c) => !c.caller.anonymous)) expect(call.caller.scopes).toEqual(['read']);
  });

  it('applies each subscriber’s kinds, members and minSeverity to the shared feed', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed);
    const high = collect(hub.subscribe(ANONYMOUS, changeFilter({ kinds: ['INCIDENT'], minSeverity: 'HIGH' }), undefined, () => undefined).changes);
    const beta = collect(hub.subscribe(ANONYMOUS, changeFilter({ members: ['beta'] }), undefined, () => undefined).changes);
    const all = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    feed.add('INCIDENT', 'alpha', 'LOW'); // c1
    feed.add('INCIDENT', 'beta', 'CRITICAL'); // c2
    feed.add('SERVICE', 'beta'); // c3
    feed.add('INCIDENT', 'alpha', 'HIGH'); // c4
    feed.add('INCIDENT', 'alpha', undefined, 'REMOVE'); // c5: a removal keeps no severity
    await waitFor(() => all.got.length === 5, 'all five changes');
    await waitFor(() => high.got.length === 3 && beta.got.length === 2, 'the filtered subscribers');
    expect(ids(high.got)).toEqual(['c2', 'c4', 'c5']);
    expect(ids(beta.got)).toEqual(['c2', 'c3']);
  });

  it('resumes a subscriber from a recent cursor out of memory, without asking upstream', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed, { pollMs: 20 });
    const first = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    for (let i = 0; i < 5; i++) feed.add('SERVICE', 'alpha');
    await waitFor(() => first.got.length === 5, 'five changes');
    const callsBefore = feed.calls.filter((c) => c.since === 'c2').length;
    const resumed = collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c2', () => undefined).changes);
    await waitFor(() => resumed.got.length === 3, 'the replay');
    expect(ids(resumed.got)).toEqual(['c3', 'c4', 'c5']);
    expect(feed.calls.filter((c) => c.since === 'c2').length).toBe(callsBefore);
    feed.add('SERVICE', 'beta');
    await waitFor(() => resumed.got.length === 4, 'the live change after the replay');
    expect(ids(resumed.got)).toEqual(['c3', 'c4', 'c5', 'c6']);
  });

  it('after a restart (an empty hub), subscribers resuming from one cursor miss nothing, repeat nothing, and share the upstream pages', async () => {
    const feed = new LogFeed();
    for (let i = 0; i < 120; i++) feed.add('SERVICE', i % 2 ? 'alpha' : 'beta');
    hub = hubOver(feed, { pageSize: 50, bufferSize: 60 });
    const subs = Array.from({ length: 100 }, () => collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c10', () => undefined).changes));
    await waitFor(() => subs.every((s) => s.got.length === 110), 'the backlog for everyone');
    // three pages from c10 (50, 50, 10), each asked once for all hundred subscribers
    const catchUp = feed.calls.filter((c) => ['c10', 'c60', 'c110'].includes(c.since ?? ''));
    expect(catchUp).toHaveLength(3);
    feed.add('INCIDENT', 'alpha', 'HIGH');
    await waitFor(() => subs.every((s) => s.got.length === 111), 'the live change for everyone');
    for (const s of subs) {
      expect(s.error).toBeUndefined();
      expect(ids(s.got)).toEqual(Array.from({ length: 111 }, (_, i) => `c${i + 11}`));
    }
  });

  it('subscribers resuming from one cursor at different times (a restarted gateway) read it upstream once and join exactly, while changes keep coming', async () => {
    const feed = new LogFeed(true);
    for (let i = 0; i < 10; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed, { pollMs: 20 });
    const subs: ReturnType<typeof collect>[] = [];
    for (let i = 0; i < 30; i++) {
      subs.push(collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c5', () => undefined).changes));
      if (i % 3 === 0) feed.add('INCIDENT', 'beta', 'HIGH');
      await new Promise((r) => setTimeout(r, 15));
    }
    const total = feed.log.length;
    await waitFor(() => subs.every((s) => s.got.length >= total - 5), 'every change after the cursor');
    await new Promise((r) => setTimeout(r, 200));
    const expected = Array.from({ length: total - 5 }, (_, i) => `c${i + 6}`);
    for (const s of subs) expect(ids(s.got)).toEqual(expected);
    expect(feed.calls.filter((c) => c.since === 'c5')).toHaveLength(1);
  });

  it('gives live readers time to take a burst of pages larger than their buffer', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed, { pageSize: 20, bufferSize: 20 });
    const reader = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    for (let i = 0; i < 200; i++) feed.add('SERVICE', 'alpha');
    await waitFor(() => reader.got.length === 200, 'the burst');
    expect(reader.error).toBeUndefined();
  });

  it('joins subscribers resuming from different sealed cursors to the live feed while changes keep coming: each change once, in order', async () => {
    const feed = new LogFeed(true);
    for (let i = 0; i < 40; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed, { pollMs: 15, pageSize: 10, bufferSize: 40 });
    // a live subscriber first: the shared feed is running and moving on
    const live = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    const writer = setInterval(() => feed.add('INCIDENT', 'beta', 'HIGH'), 3);
    const starts = [0, 5, 17, 33, 40];
    const resumed = starts.map((n) => ({ n, seen: collect(hub.subscribe(ANONYMOUS, changeFilter({}), `c${n}~old`, () => undefined).changes) }));
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(writer);
    const total = feed.log.length;
    await waitFor(() => resumed.every((r) => r.seen.got.length >= total - r.n) && live.got.length >= total - 40, 'everyone to reach the end');
    await new Promise((r) => setTimeout(r, 100));
    for (const { n, seen } of resumed) {
      expect(seen.error).toBeUndefined();
      expect(ids(seen.got)).toEqual(Array.from({ length: total - n }, (_, i) => `c${n + i + 1}`));
    }
    expect(ids(live.got)).toEqual(Array.from({ length: total - 40 }, (_, i) => `c${40 + i + 1}`));
    // all of them are live on the one shared feed now
    const after = feed.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(feed.calls.length - after).toBeLessThanOrEqual(Math.ceil(150 / 15) + 2);
  });

  it('does not repeat changes to a subscriber that resumes ahead of a restarted feed', async () => {
    const feed = new LogFeed(true);
    hub = hubOver(feed, { pollMs: 20 });
    const first = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    const seen = collect(first.changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    feed.add('SERVICE', 'alpha');
    await waitFor(() => seen.got.length === 1, 'the first change');
    await first.changes.return!(); // the feed stops, remembering where it was (before the next two)
    feed.add('SERVICE', 'alpha');
    feed.add('SERVICE', 'beta');
    // a subscriber that already has those two (its cursor is after them) comes back
    const resumed = collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c3~elsewhere', () => undefined).changes);
    await new Promise((r) => setTimeout(r, 200));
    feed.add('INCIDENT', 'beta', 'HIGH');
    await waitFor(() => resumed.got.length >= 1, 'the new change');
    await new Promise((r) => setTimeout(r, 200));
    expect(ids(resumed.got)).toEqual(['c4']);
  });

  it('does not repeat changes to a subscriber that resumes ahead of a running feed (another replica was faster)', async () => {
    const feed = new LogFeed(true);
    hub = hubOver(feed, { pollMs: 150 });
    const live = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    feed.add('SERVICE', 'alpha');
    feed.add('SERVICE', 'beta');
    // before this feed's next poll, a subscriber arrives that has both already
    const resumed = collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c2~elsewhere', () => undefined).changes);
    await waitFor(() => live.got.length === 2, 'the feed to catch up');
    feed.add('INCIDENT', 'beta', 'HIGH');
    await waitFor(() => resumed.got.length >= 1 && live.got.length === 3, 'the new change');
    await new Promise((r) => setTimeout(r, 400));
    expect(ids(resumed.got)).toEqual(['c3']);
  });

  it('lets a reader with a backlog larger than its buffer catch up without being dropped', async () => {
    const feed = new LogFeed();
    for (let i = 0; i < 500; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed, { pageSize: 20, bufferSize: 40 });
    const sub = collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'c0', () => undefined).changes);
    await waitFor(() => sub.got.length === 500, 'the whole backlog', 10_000);
    expect(sub.error).toBeUndefined();
  });

  it('drops a subscriber that does not read once its buffer is full, and keeps serving the others', async () => {
    const feed = new LogFeed();
    const counted = { pages: 0, slow: 0 };
    hub = hubOver(feed, { bufferSize: 10, events: { upstreamPage: () => counted.pages++, slowSubscriberDropped: () => counted.slow++ } });
    const dropped: InfraredError[] = [];
    const slow = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, (err) => dropped.push(err)); // never read
    const reader = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    for (let i = 0; i < 30; i++) feed.add('SERVICE', 'alpha');
    await waitFor(() => reader.got.length === 30, 'the reader to get everything');
    expect(dropped.map((e) => e.code)).toEqual(['SUBSCRIBER_TOO_SLOW']);
    // what the metrics count: one drop, and every upstream page the feed asked for
    expect(counted).toEqual({ pages: feed.calls.length, slow: 1 });
    await expect(slow.changes.next()).rejects.toMatchObject({ code: 'SUBSCRIBER_TOO_SLOW' });
    expect(hub.stats().subscribers).toBe(1);
  });

  it('drops only the subscriber whose cursor the feed refuses', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed);
    const good = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    const dropped: InfraredError[] = [];
    collect(hub.subscribe(ANONYMOUS, changeFilter({}), 'forged-cursor', (err) => dropped.push(err)).changes);
    await waitFor(() => dropped.length === 1, 'the refusal');
    expect(dropped[0].code).toBe('BAD_SUBSCRIPTION');
    feed.add('SERVICE', 'alpha');
    await waitFor(() => good.got.length === 1, 'the other subscriber to go on');
  });

  it('stops polling when the last subscriber leaves, and the next feed of that class starts where it stopped', async () => {
    const feed = new LogFeed();
    for (let i = 0; i < 300; i++) feed.add('SERVICE', 'alpha');
    hub = hubOver(feed, { pageSize: 100 });
    const sub = hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined);
    collect(sub.changes);
    await waitFor(() => feed.calls.some((c) => c.since === 'c300'), 'the feed to reach the present');
    await sub.changes.return!();
    expect(hub.stats()).toEqual({ feeds: 0, subscribers: 0 });
    await new Promise((r) => setTimeout(r, 50));
    const idle = feed.calls.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.calls.length).toBe(idle);
    feed.add('SERVICE', 'beta'); // c301, while nobody listened
    const again = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length > idle, 'the new feed to poll');
    // it starts at the remembered position, not by reading the history from the start
    expect(feed.calls.slice(idle).every((c) => c.since !== undefined)).toBe(true);
    feed.add('SERVICE', 'beta');
    await waitFor(() => again.got.length >= 1, 'a change');
  });

  it('retries a failing upstream without losing the changes made meanwhile', async () => {
    const feed = new LogFeed();
    hub = hubOver(feed);
    const sub = collect(hub.subscribe(ANONYMOUS, changeFilter({}), undefined, () => undefined).changes);
    await waitFor(() => feed.calls.length >= 2, 'the feed to find the present and poll');
    feed.failWith = new Error('connection refused');
    feed.add('SERVICE', 'alpha');
    feed.add('SERVICE', 'alpha');
    const failedCalls = feed.calls.length;
    await waitFor(() => feed.calls.length > failedCalls + 1, 'a failed retry');
    feed.failWith = undefined;
    await waitFor(() => sub.got.length === 2, 'the changes after recovery', 10_000);
    expect(ids(sub.got)).toEqual(['c1', 'c2']);
  });
});
