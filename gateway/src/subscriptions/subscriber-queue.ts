/**
 * One subscriber's buffer between the shared feed and its HTTP stream: bounded, so a reader that
 * does not keep up cannot make the gateway's memory grow. `push` answers false when the buffer is
 * full; the feed then fails the subscriber, which discards what was buffered (the subscriber
 * resumes from its last event id).
 */
export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting?: { resolve: (r: IteratorResult<T>) => void; reject: (err: Error) => void };
  private failure?: Error;
  private done = false;
  private roomWaiter?: { needed: number; wake: () => void };

  constructor(
    private readonly capacity: number,
    private readonly onReturn: () => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get closed(): boolean {
    return this.done || this.failure !== undefined;
  }

  push(item: T): boolean {
    if (this.closed) return true;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the iteration with an error; what was buffered is discarded. */
  fail(err: Error): void {
    if (this.closed) return;
    this.failure = err;
    this.items.length = 0;
    this.wakeProducers();
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = undefined;
      reject(err);
    }
  }

  /** Resolves once `needed` more items fit (or the queue is closed): the one producer with much to give waits for it. */
  room(needed: number): Promise<void> {
    const fits = Math.min(needed, this.capacity);
    if (this.closed || this.items.length + fits <= this.capacity) return Promise.resolve();
    this.roomWaiter?.wake(); // one producer waits at a time: an earlier wait has been given up
    return new Promise((wake) => (this.roomWaiter = { needed: fits, wake }));
  }

  private wakeProducers(): void {
    const waiter = this.roomWaiter;
    if (!waiter || (!this.closed && this.items.length + waiter.needed > this.capacity)) return;
    this.roomWaiter = undefined;
    waiter.wake();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.wakeProducers();
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.items.length = 0;
      this.waiting?.resolve({ value: undefined, done: true });
      this.waiting = undefined;
      this.wakeProducers();
      this.onReturn();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
