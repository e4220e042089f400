import type { IncomingMessage } from 'node:http';

/**
 * Checks that a request's authentication left running, to settle before the request is answered:
 * a member's replay check waits for its database, and a read may execute meanwhile (its answer is
 * held until the check has settled). Kept per request, taken once.
 */
export class PendingChecks {
  private readonly checks = new WeakMap<IncomingMessage, Promise<void>>();

  /** Leaves `check` to settle before `req` is answered (its rejection is observed there). */
  defer(req: IncomingMessage, check: Promise<void>): void {
    check.catch(() => undefined);
    this.checks.set(req, check);
  }

  /** The check left for `req`, if any (once). */
  take(req: IncomingMessage): Promise<void> | undefined {
    const check = this.checks.get(req);
    this.checks.delete(req);
    return check;
  }
}
