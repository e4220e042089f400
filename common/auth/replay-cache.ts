/**
 * Remembers ids (`jti`) until they expire, to refuse a replayed assertion. `remember` returns
 * false when the id was already seen. In memory by default; a shared store can implement the
 * same interface.
 */
export interface ReplayCache {
  remember(id: string, expiresAtMs: number): Promise<boolean>;
  /**
   * Several ids at once (one round trip to a shared store): for each, whether it was new. Each id
   * is stored whatever the others' verdicts.
   */
  rememberAll?(entries: readonly { id: string; expiresAtMs: number }[]): Promise<boolean[]>;
}

/**
 * A replay cache that only collects what a verification would remember, to commit it later in
 * one go: a member checks a sub-request's assertion and the forwarded caller proof first, then
 * stores both ids with one statement. Its `remember` answers true (new) until `commit`.
 */
export class PendingReplays implements ReplayCache {
  private readonly entries: { id: string; expiresAtMs: number }[] = [];

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    this.entries.push({ id, expiresAtMs });
    return true;
  }

  /** Stores every collected id in `store`; for each, whether it was new (in the order remembered). */
  async commit(store: ReplayCache): Promise<boolean[]> {
    if (store.rememberAll) return store.rememberAll(this.entries);
    const verdicts: boolean[] = [];
    for (const e of this.entries) verdicts.push(await store.remember(e.id, e.expiresAtMs));
    return verdicts;
  }
}

export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly maxEntries = 1_000_000) {}

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastSweep > 10_000 || this.seen.size >= this.maxEntries) this.sweep(now);
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.set(id, expiresAtMs + 5_000);
    return true;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
  }
}
