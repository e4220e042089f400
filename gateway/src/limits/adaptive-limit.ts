/** Where a new member's limit starts. */
export const INITIAL_MEMBER_LIMIT = 4;

/**
 * A per-member concurrency limit that follows the member's latency, the way TCP congestion
 * control follows a path: it starts at 4 and grows by one per good answer (slow start) until the
 * member first struggles, then by one per window of good answers (additive increase), up to the
 * configured maximum. An answer that takes more than three quarters of the deadline lowers it by
 * one; a timeout halves it (multiplicative decrease). When a member slows down under load, the
 * excess waits in the gateway's bounded queue and is shed with 503, instead of piling up inside
 * the member until every call misses its deadline.
 */
export class AdaptiveLimit {
  private value: number;
  private slowStart = true;

  constructor(
    private readonly max: number,
    /** Latency above this fraction of the deadline is close to a timeout: one call fewer. */
    private readonly slowFraction = 0.75,
    /** Latency below this fraction of the deadline is a good answer: the limit may grow. */
    private readonly goodFraction = 0.5,
    initial = Math.min(max, INITIAL_MEMBER_LIMIT),
  ) {
    this.value = initial;
  }

  get current(): number {
    return Math.max(1, Math.floor(this.value));
  }

  /** Records one finished call; returns the new limit. */
  record(outcome: 'ok' | 'timeout' | 'error', durationMs: number, deadlineMs: number): number {
    if (outcome === 'timeout') {
      this.value = Math.max(1, this.value / 2);
      this.slowStart = false;
    } else if (outcome === 'ok' && durationMs > deadlineMs * this.slowFraction) {
      this.value = Math.max(1, this.value - 1);
      this.slowStart = false;
    } else if (outcome === 'ok' && durationMs <= deadlineMs * this.goodFraction) {
      this.value = Math.min(this.max, this.value + (this.slowStart ? 1 : 1 / this.value));
    }
    return this.current;
  }
}
