export type BreakerState = 'closed' | 'open' | 'half_open';

export interface MemberBreakerOptions {
  /** Failures in a row (each request that saw one counts) that open the breaker. */
  failures: number;
  /** How long the breaker stays open before a background probe. */
  probeAfterMs: number;
  /** Asks the member something cheap; true when it answered well. Never user traffic. */
  probe: () => Promise<boolean>;
  onChange?: (state: BreakerState) => void;
}

/**
 * One member's circuit breaker. It counts only failures of the member itself (the caller decides
 * what they are), weighted by the requests that waited on the failed call, so a call shared by
 * many anonymous requests opens the breaker as fast as as many separate calls would.
 *
 * Unlike a classic half-open state, no user request is ever the test: while open, every request
 * skips the member at once, and a background probe asks the member after `probeAfterMs` (then
 * again at the same pace until it answers). A hung member costs its deadline once, then nothing.
 */
export class MemberBreaker {
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private timer?: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly opts: MemberBreakerOptions) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Whether user requests may call the member now. */
  get allows(): boolean {
    return this.current === 'closed';
  }

  success(): void {
    if (this.current === 'closed') this.consecutive = 0;
  }

  failure(weight = 1): void {
    if (this.current !== 'closed' || this.disposed) return;
    this.consecutive += Math.max(1, weight);
    if (this.consecutive >= this.opts.failures) {
      this.set('open');
      this.scheduleProbe();
    }
  }

  /** Stops probing (the member left the registry or the gateway stops). */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    this.timer = setTimeout(() => void this.probe(), this.opts.probeAfterMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    if (this.disposed) return;
    this.set('half_open');
    let ok = false;
    try {
      ok = await this.opts.probe();
    } catch {
      ok = false;
    }
    if (this.disposed) return;
    if (ok) {
      this.consecutive = 0;
      this.set('closed');
    } else {
      this.set('open');
      this.scheduleProbe();
    }
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onChange?.(state);
  }
}
