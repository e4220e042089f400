/**
 * Fixed-window rate counters in process memory, answered synchronously: the windows of
 * rate-limiter-flexible's RateLimiterMemory (a key's window starts with its first point and lasts
 * `windowSeconds`; once more than `points` are charged in it, each further request is told to wait
 * until it ends), without a promise, a result object and a timer per key. A request charged here
 * needs no turn of the event loop, so a response-cache hit is answered in the turn its body
 * arrived. Ended windows are dropped at most once per window length, so memory holds about one
 * window's keys.
 *
 * @example
 * const windows = new MemoryWindows(100, 60);
 * windows.consume('ip:127.0.0.1', 1); // undefined: within the budget; else the seconds to wait
 */
export class MemoryWindows {
  private readonly windows = new Map<string, { points: number; endsAt: number }>();
  private readonly windowMs: number;
  private sweepAt = 0;

  constructor(
    private readonly points: number,
    windowSeconds: number,
  ) {
    this.windowMs = windowSeconds * 1000;
  }

  /** Charges `points` to `key`: undefined while the window's total is within the budget, else the seconds until the window ends (at least 1). */
  consume(key: string, points: number, now = Date.now()): number | undefined {
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.sweep(now);
      window = { points: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.points += points;
    return window.points > this.points ? Math.max(1, Math.ceil((window.endsAt - now) / 1000)) : undefined;
  }

  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
