/**
 * A deadline signal that measures the member, not the gateway. A timer fires late when the
 * gateway's own event loop is busy (planning, parsing, merging other answers); an answer that
 * arrived meanwhile is still waiting in the socket. Aborting then would report a member failure
 * that is the gateway's own. So a timer that fires late by more than a small tolerance gives the
 * call one extension as long as the delay (at most one more deadline), during which the pending
 * input is read; a timer on time still aborts only after one more poll of the sockets, so an
 * answer that arrived in the same instant is read, not blamed. A member that is truly slow is
 * still cut, at most once more its deadline later.
 */
export function deadlineSignal(deadlineMs: number, toleranceMs = Math.max(25, deadlineMs * 0.05)): AbortSignal {
  const controller = new AbortController();
  const ms = Math.max(1, deadlineMs);
  const due = performance.now() + ms;
  const abort = () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  setTimeout(() => {
    const late = performance.now() - due;
    // on time: still let input that arrived meanwhile be read (the poll phase runs before setImmediate)
    if (late <= toleranceMs) return void setImmediate(abort).unref();
    setTimeout(abort, Math.min(late, ms)).unref();
  }, ms).unref();
  return controller.signal;
}
