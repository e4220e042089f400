/** A member call's deadline: its abort signal, and `clear()` once the call has ended. */
export interface Deadline {
  signal: AbortSignal;
  /** Cancels the timers; the signal then never aborts. Call it when the call has ended, answered or not. */
  clear(): void;
}

/**
 * A deadline that measures the member, not the gateway. A timer fires late when the gateway's
 * own event loop is busy (planning, parsing, merging other answers); an answer that arrived
 * meanwhile is still waiting in the socket. Aborting then would report a member failure that is
 * the gateway's own. So a timer that fires late by more than a small tolerance gives the call one
 * extension as long as the delay (at most one more deadline), during which the pending input is
 * read; a timer on time still aborts only after one more poll of the sockets, so an answer that
 * arrived in the same instant is read, not blamed. A member that is truly slow is still cut, at
 * most once more its deadline later.
 *
 * The caller clears the deadline when the call ends: a timer left pending would keep its
 * controller, signal and closure alive for the whole deadline after the answer (at 500 members,
 * thousands per second of garbage that cannot be collected yet).
 */
export function deadline(deadlineMs: number, toleranceMs = Math.max(25, deadlineMs * 0.05)): Deadline {
  const controller = new AbortController();
  const ms = Math.max(1, deadlineMs);
  const due = performance.now() + ms;
  let cleared = false;
  let extension: NodeJS.Timeout | undefined;
  let poll: NodeJS.Immediate | undefined;
  const abort = () => {
    if (!cleared) controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  };
  const first = setTimeout(() => {
    if (cleared) return;
    const late = performance.now() - due;
    // on time: still let input that arrived meanwhile be read (the poll phase runs before setImmediate)
    if (late <= toleranceMs) poll = setImmediate(abort).unref();
    else extension = setTimeout(abort, Math.min(late, ms)).unref();
  }, ms).unref();
  return {
    signal: controller.signal,
    clear() {
      if (cleared) return;
      cleared = true;
      clearTimeout(first);
      clearTimeout(extension);
      clearImmediate(poll);
    },
  };
}
