/** What a deadline ends: `expire()` is called at most once, and never after `clear()`. */
export interface DeadlineTarget {
  expire(): void;
}

/** The default tolerance of a deadline of `ms`: 5 % of it, at least 25 ms. */
export function toleranceFor(ms: number): number {
  return Math.max(25, ms * 0.05);
}

/**
 * A deadline that measures the member, not the gateway. A timer fires late when the gateway's
 * own event loop is busy (planning, parsing, merging other answers); an answer that arrived
 * meanwhile is still waiting in the socket. Expiring then would report a member failure that is
 * the gateway's own. So a timer that fires late by more than a small tolerance gives the call one
 * extension as long as the delay (at most one more deadline), during which the pending input is
 * read; a timer on time still expires only after one more poll of the sockets, so an answer that
 * arrived in the same instant is read, not blamed. A member that is truly slow is still cut, at
 * most once more its deadline later.
 *
 * One object per call and no closures: the timers carry the deadline itself as their argument
 * (at 500 members, thousands of calls a second). The owner clears the deadline when the call
 * ends: a timer left pending would keep the call alive for the whole deadline after the answer.
 *
 * @example
 * const d = new CallDeadline(2000, { expire: () => call.abort() });
 * // … when the answer is in:
 * d.clear();
 */
export class CallDeadline {
  private readonly ms: number;
  private readonly due: number;
  private cleared = false;
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Immediate | undefined;

  constructor(
    private readonly target: DeadlineTarget,
    deadlineMs: number,
    private readonly toleranceMs = toleranceFor(deadlineMs),
  ) {
    this.ms = Math.max(1, deadlineMs);
    this.due = performance.now() + this.ms;
    this.timer = setTimeout(firstTimer, this.ms, this).unref();
  }

  /** Cancels the timers; the target then never expires. Harmless twice. */
  clear(): void {
    if (this.cleared) return;
    this.cleared = true;
    clearTimeout(this.timer);
    clearImmediate(this.poll);
  }

  /** @internal the first timer fired: on time, expire after one more poll; late, extend once. */
  onFirstTimer(): void {
    this.timer = undefined;
    if (this.cleared) return;
    const late = performance.now() - this.due;
    // on time: still let input that arrived meanwhile be read (the poll phase runs before setImmediate)
    if (late <= this.toleranceMs) this.poll = setImmediate(expire, this).unref();
    else this.timer = setTimeout(expire, Math.min(late, this.ms), this).unref();
  }

  /** @internal */
  onExpire(): void {
    if (this.cleared) return;
    this.cleared = true;
    this.target.expire();
  }
}

function firstTimer(deadline: CallDeadline): void {
  deadline.onFirstTimer();
}

function expire(deadline: CallDeadline): void {
  deadline.onExpire();
}
