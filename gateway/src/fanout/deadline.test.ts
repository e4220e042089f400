import { CallDeadline } from './deadline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deadline's target that counts its expiries and can be awaited (the test's own timeout bounds the wait). */
function target() {
  let expiries = 0;
  let wake: () => void = () => undefined;
  const expired = new Promise<void>((resolve) => (wake = resolve));
  return {
    expire() {
      expiries++;
      wake();
    },
    get expiries() {
      return expiries;
    },
    expired,
  };
}

describe('CallDeadline', () => {
  it('expires once the deadline has passed, not before, and only once', async () => {
    const t = target();
    const started = performance.now();
    new CallDeadline(t, 30);
    expect(t.expiries).toBe(0);
    await t.expired;
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    await sleep(80);
    expect(t.expiries).toBe(1);
  });

  it('never expires once cleared (the call ended before its deadline)', async () => {
    const t = target();
    const d = new CallDeadline(t, 30);
    d.clear();
    d.clear(); // harmless twice
    await sleep(120);
    expect(t.expiries).toBe(0);
  });

  it('a timer that fires late (busy event loop) extends the call once, by as long as it was late, then expires', async () => {
    const t = target();
    new CallDeadline(t, 200, 5);
    const busyUntil = performance.now() + 600; // the loop is blocked well past the deadline
    while (performance.now() < busyUntil);
    await sleep(0);
    await new Promise((resolve) => setImmediate(resolve));
    // late by ~400 ms: one more deadline (200 ms) in which an answer that arrived meanwhile is read
    expect(t.expiries).toBe(0);
    await t.expired;
    // measured from when the loop was free again (the late timer fired then): a loaded machine
    // may delay the turns after it, which must not count against the extension
    expect(performance.now() - busyUntil).toBeGreaterThanOrEqual(100);
  });

  it('a timer on time expires only after one more poll: an answer read in that turn of the loop still wins', async () => {
    const t = target();
    const d = new CallDeadline(t, 20, 1000);
    // the answer is read in the same turn, after the deadline's timer ran but before the check phase
    setTimeout(() => d.clear(), 20);
    // both timers are due when the loop next runs its timers (within the tolerance), so they run in
    // one timers phase, in order; otherwise the second could fall a millisecond later, after the poll
    const busyUntil = performance.now() + 30;
    while (performance.now() < busyUntil);
    await sleep(80);
    expect(t.expiries).toBe(0);
  });

  it('clearing during the extension cancels it', async () => {
    const t = target();
    const d = new CallDeadline(t, 40, 5);
    const busyUntil = performance.now() + 120;
    while (performance.now() < busyUntil);
    await sleep(0);
    d.clear();
    await sleep(200);
    expect(t.expiries).toBe(0);
  });

  it('leaves no timer behind once cleared (none lingers for the rest of the deadline)', () => {
    jest.useFakeTimers();
    try {
      const many = Array.from({ length: 50 }, () => new CallDeadline(target(), 60_000));
      expect(jest.getTimerCount()).toBe(50);
      for (const d of many) d.clear();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
