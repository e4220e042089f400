/** Gives a slot back; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  resolve: (release: Release | undefined) => void;
  timer: NodeJS.Timeout;
}

/**
 * A counting semaphore with a bounded queue and a bounded wait: at most `limit` holders at once,
 * at most `queue` waiting, and no one waits longer than asked. A waiter whose wait ends leaves
 * the queue at once, so expired waiters never hold queue places or hand-over turns (cockatiel's
 * bulkhead keeps cancelled entries queued until their turn comes, and has no wait bound).
 */
export class ConcurrencyLimiter {
  private held = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private max: number,
    readonly queue: number,
  ) {}

  get limit(): number {
    return this.max;
  }

  /** Changes the limit; a raised limit hands its new slots to waiters at once. */
  set limit(value: number) {
    this.max = Math.max(1, Math.floor(value));
    while (this.held < this.max && this.waiting.length) {
      const next = this.waiting.shift()!;
      clearTimeout(next.timer);
      this.held++;
      next.resolve(this.releaser());
    }
  }

  get active(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A free slot at once, or undefined when there is none (nothing waits, nothing is allocated for a wait). */
  tryAcquire(): Release | undefined {
    if (this.held >= this.max) return undefined;
    this.held++;
    return this.releaser();
  }

  /** A slot, or undefined when the queue is full or `waitMs` passed without a slot (shed). */
  acquire(waitMs: number): Promise<Release | undefined> {
    if (this.held < this.max) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queue || waitMs <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve(undefined);
        }, waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.held <= this.max ? this.waiting.shift() : undefined; // over a lowered limit: give the slot up
      if (!next) {
        this.held--;
        return;
      }
      clearTimeout(next.timer);
      next.resolve(this.releaser()); // the slot passes straight to the next waiter
    };
  }
}
