/**
 * Remembers ids (`jti`) until they expire, to refuse a replayed assertion. `remember` returns
 * false when the id was already seen. In memory by default; a shared store can implement the
 * same interface.
 */
export interface ReplayCache {
  remember(id: string, expiresAtMs: number): Promise<boolean>;
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
