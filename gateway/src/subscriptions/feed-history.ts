import type { NetworkChange } from './change-source';

/**
 * The recent past of one shared feed: the changes it published and the cursors it passed, in
 * order, bounded. A subscriber that resumes from a cursor found here is replayed from memory,
 * without asking any member.
 */
export class FeedHistory {
  /** Positions in order: each cursor the feed reached, with the change that led to it (none for a page end). */
  private entries: { cursor: string; change?: NetworkChange }[] = [];
  /** cursor → absolute sequence number of its entry. */
  private readonly index = new Map<string, number>();
  private first = 0;

  constructor(private readonly limit: number) {}

  /** Records a position the feed reached (after `change`, or a page end without one). */
  add(cursor: string, change?: NetworkChange): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.cursor === cursor && !change) return;
    this.index.set(cursor, this.first + this.entries.length);
    this.entries.push({ cursor, change });
    if (this.entries.length > this.limit * 1.5) this.trim();
  }

  has(cursor: string): boolean {
    return this.index.has(cursor);
  }

  /**
   * Up to `max` changes after `cursor`, and the cursor reached after them; undefined when the cursor
   * is not (or no longer) here.
   */
  after(cursor: string, max: number): { changes: NetworkChange[]; cursor: string } | undefined {
    const seq = this.index.get(cursor);
    if (seq === undefined) return undefined;
    const changes: NetworkChange[] = [];
    let reached = cursor;
    for (let i = seq - this.first + 1; i < this.entries.length && changes.length < max; i++) {
      const entry = this.entries[i];
      if (entry.change) changes.push(entry.change);
      reached = entry.cursor;
    }
    return { changes, cursor: reached };
  }

  get size(): number {
    return this.entries.length;
  }

  private trim(): void {
    const drop = this.entries.length - this.limit;
    for (let i = 0; i < drop; i++) {
      const { cursor } = this.entries[i];
      // a cursor seen twice points at its latest entry: keep that one
      if (this.index.get(cursor) === this.first + i) this.index.delete(cursor);
    }
    this.entries = this.entries.slice(drop);
    this.first += drop;
  }
}
