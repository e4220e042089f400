/** Longest stretch, in ms, an aggregate runs before it lets the event loop serve others. */
export const SLICE_MS = 4;

/**
 * A cooperative clock for long loops on the event loop: `await slices.tick()` in the loop yields
 * (setImmediate) once the current slice has run for `sliceMs`, so `/health` and other requests
 * are served between slices. Looks at the clock only every `every` ticks.
 *
 * @example
 * const slices = new Slices();
 * for (const item of items) { await slices.tick(); work(item); }
 */
export class Slices {
  private started = performance.now();
  private count = 0;

  constructor(
    private readonly sliceMs = SLICE_MS,
    private readonly every = 256,
  ) {}

  tick(): Promise<void> | undefined {
    if (++this.count % this.every !== 0 || performance.now() - this.started < this.sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.started = performance.now();
        resolve();
      }),
    );
  }
}
