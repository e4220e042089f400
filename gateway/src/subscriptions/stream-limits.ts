import { InfraredError } from '../../../common/errors';

/**
 * Live subscriptions held at once: per caller (the rate-limit key: token member and subject, or
 * the IP address for anonymous callers) and in total. `acquire` returns the release function.
 */
export class StreamLimits {
  private total = 0;
  private readonly perCaller = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerCaller: number,
  ) {}

  acquire(callerKey: string): () => void {
    const held = this.perCaller.get(callerKey) ?? 0;
    if (held >= this.maxPerCaller) throw new InfraredError('TOO_MANY_SUBSCRIPTIONS', `this caller already holds ${this.maxPerCaller} live subscriptions (the most allowed); close one first`);
    if (this.total >= this.maxTotal) throw new InfraredError('TOO_MANY_SUBSCRIPTIONS', 'the gateway holds the most live subscriptions it allows; retry later');
    this.total++;
    this.perCaller.set(callerKey, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perCaller.get(callerKey) ?? 1) - 1;
      if (left > 0) this.perCaller.set(callerKey, left);
      else this.perCaller.delete(callerKey);
    };
  }

  get held(): number {
    return this.total;
  }
}
