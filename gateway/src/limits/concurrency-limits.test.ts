/** The slot limiter (bounded queue, bounded wait, limits that change) and the adaptive per-member limit. */
import { AdaptiveLimit } from './adaptive-limit';
import { ConcurrencyLimiter } from './concurrency-limiter';

describe('ConcurrencyLimiter', () => {
  it('admits up to the limit, queues up to the queue size, and sheds the rest at once', async () => {
    const limiter = new ConcurrencyLimiter(2, 1);
    const a = await limiter.acquire(1000);
    const b = await limiter.acquire(1000);
    expect(a && b).toBeTruthy();
    const queued = limiter.acquire(1000);
    expect(limiter.queued).toBe(1);
    expect(await limiter.acquire(1000)).toBeUndefined(); // the queue is full
    a!();
    const c = await queued; // the freed slot goes to the waiter
    expect(c).toBeDefined();
    expect(limiter.active).toBe(2);
    b!();
    c!();
    c!(); // releasing twice is harmless
    expect(limiter.active).toBe(0);
  });

  it('tryAcquire takes a free slot at once and never waits for a held one', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const first = limiter.tryAcquire();
    expect(first).toBeDefined();
    expect(limiter.tryAcquire()).toBeUndefined();
    expect(limiter.queued).toBe(0); // it did not join the queue
    const waiting = limiter.acquire(1000);
    first!();
    const next = await waiting; // the freed slot went to the waiter, not to a later tryAcquire
    expect(next).toBeDefined();
    expect(limiter.tryAcquire()).toBeUndefined();
    next!();
    expect(limiter.active).toBe(0);
  });

  it('a waiter whose wait ends leaves the queue and does not take a later slot', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const held = await limiter.acquire(0);
    const expired = await limiter.acquire(30);
    expect(expired).toBeUndefined();
    expect(limiter.queued).toBe(0);
    const later = limiter.acquire(1000);
    held!();
    expect(await later).toBeDefined();
  });

  it('a lowered limit takes effect as slots are given back; a raised one wakes waiters', async () => {
    const limiter = new ConcurrencyLimiter(3, 10);
    const slots = await Promise.all([limiter.acquire(0), limiter.acquire(0), limiter.acquire(0)]);
    limiter.limit = 1;
    const waiting = limiter.acquire(5000);
    slots[0]!();
    slots[1]!();
    expect(limiter.active).toBe(1);
    expect(limiter.queued).toBe(1);
    slots[2]!();
    expect(await waiting).toBeDefined();
    const more = [limiter.acquire(5000), limiter.acquire(5000)];
    limiter.limit = 3;
    expect((await Promise.all(more)).every(Boolean)).toBe(true);
    expect(limiter.active).toBe(3);
  });
});

describe('AdaptiveLimit', () => {
  it('starts low and grows by one per good answer until the member first struggles', () => {
    const limit = new AdaptiveLimit(16);
    expect(limit.current).toBe(4);
    for (let i = 0; i < 12; i++) limit.record('ok', 100, 2000);
    expect(limit.current).toBe(16);
    limit.record('ok', 10, 2000);
    expect(limit.current).toBe(16); // never above the maximum
  });

  it('halves on a timeout, steps down near the deadline, holds in between, and grows back slowly', () => {
    const limit = new AdaptiveLimit(16);
    for (let i = 0; i < 12; i++) limit.record('ok', 100, 2000);
    expect(limit.record('timeout', 2000, 2000)).toBe(8);
    expect(limit.record('timeout', 2000, 2000)).toBe(4);
    expect(limit.record('ok', 1600, 2000)).toBe(3); // past three quarters of the deadline
    expect(limit.record('ok', 1200, 2000)).toBe(3); // between half and three quarters: held
    let calls = 0;
    while (limit.current < 16 && calls < 1000) {
      limit.record('ok', 100, 2000);
      calls++;
    }
    expect(limit.current).toBe(16);
    expect(calls).toBeGreaterThan(50); // additive now: about one more per window of calls
    for (let i = 0; i < 10; i++) limit.record('timeout', 2000, 2000);
    expect(limit.current).toBe(1); // never below one
  });
});
