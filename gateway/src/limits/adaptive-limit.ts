/**
 * A per-member concurrency limit that follows the member's latency (additive increase,
 * multiplicative decrease, as TCP congestion control does): a member that answers well within
 * its deadline earns one more concurrent call per window of calls, from 4 up to the configured maximum;
 * one whose answers approach the deadline loses one; a timeout halves the limit. When a member
 * slows down under load, the excess waits in the gateway's bounded queue and is shed with 503,
 * instead of piling up inside the member until every call misses its deadline.
 */
/** Where a new member's limit starts. */
export const INITIAL_MEMBER_LIMIT = 4;

export class AdaptiveLimit {
  private value: number;

  constructor(
    private readonly max: number,
    /** Latency above this fraction of the deadline counts as "approaching it". */
    private readonly slowFraction = 0.5,
    /** Where a new member starts (it earns the rest), so a burst cannot swamp it before it is known. */
    initial = Math.min(max, INITIAL_MEMBER_LIMIT),
  ) {
    this.value = initial;
  }

  get current(): number {
    return Math.max(1, Math.floor(this.value));
  }

  /** Records one finished call; returns the new limit. */
  record(outcome: 'ok' | 'timeout' | 'error', durationMs: number, deadlineMs: number): number {
    if (outcome === 'timeout') this.value = Math.max(1, this.value / 2);
    else if (outcome === 'ok' && durationMs > deadlineMs * this.slowFraction) this.value = Math.max(1, this.value - 1);
    else if (outcome === 'ok') this.value = Math.min(this.max, this.value + 1 / this.value);
    return this.current;
  }
}
