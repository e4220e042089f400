import { deadline } from './deadline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves when the signal aborts (the test's own timeout bounds the wait on a loaded machine). */
const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));

describe('deadline', () => {
  it('aborts with a TimeoutError once the deadline has passed, not before', async () => {
    const started = performance.now();
    const d = deadline(30);
    expect(d.signal.aborted).toBe(false);
    await aborted(d.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('never aborts once cleared (the call ended before its deadline)', async () => {
    const d = deadline(30);
    d.clear();
    d.clear(); // harmless twice
    await sleep(120);
    expect(d.signal.aborted).toBe(false);
  });

  it('a timer that fires late (busy event loop) extends the call once, by as long as it was late, then aborts', async () => {
    const d = deadline(200, 5);
    const busyUntil = performance.now() + 600; // the loop is blocked well past the deadline
    while (performance.now() < busyUntil);
    await sleep(0);
    await new Promise((resolve) => setImmediate(resolve));
    // late by ~400 ms: one more deadline (200 ms) in which an answer that arrived meanwhile is read
    expect(d.signal.aborted).toBe(false);
    const extended = performance.now();
    await aborted(d.signal);
    expect(performance.now() - extended).toBeGreaterThanOrEqual(100);
  });

  it('clearing during the extension cancels it', async () => {
    const d = deadline(40, 5);
    const busyUntil = performance.now() + 120;
    while (performance.now() < busyUntil);
    await sleep(0);
    d.clear();
    await sleep(200);
    expect(d.signal.aborted).toBe(false);
  });

  it('leaves no timer behind once cleared (none lingers for the rest of the deadline)', () => {
    jest.useFakeTimers();
    try {
      const many = Array.from({ length: 50 }, () => deadline(60_000));
      expect(jest.getTimerCount()).toBe(50);
      for (const d of many) d.clear();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
