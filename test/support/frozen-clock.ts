/**
 * A frozen wall clock for unit tests: `Date` (and so `Date.now()`, jose's default `currentDate`
 * and the replay cache's expiry) is fixed at `at` until moved with `jest.setSystemTime`. Only
 * `Date` is faked: promises, timers and `setImmediate` run for real, so WebCrypto works.
 */
export function freezeClock(at: number | Date): void {
  jest.useFakeTimers({
    now: at,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** Moves the frozen clock to `ms` since the epoch. */
export function setClock(ms: number): void {
  jest.setSystemTime(ms);
}

export function thawClock(): void {
  jest.useRealTimers();
}
