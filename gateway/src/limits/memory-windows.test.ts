import { MemoryWindows } from './memory-windows';

describe('MemoryWindows', () => {
  it('allows the budget within a window, then tells the wait until the window ends, then starts over', () => {
    const windows = new MemoryWindows(3, 60);
    const t0 = 1_000_000;
    expect([1, 2, 3].map((i) => windows.consume('ip:a', 1, t0 + i))).toEqual([undefined, undefined, undefined]);
    expect(windows.consume('ip:a', 1, t0 + 10_001)).toBe(50);
    expect(windows.consume('ip:a', 1, t0 + 60_000.5)).toBe(1);
    // another key has its own window
    expect(windows.consume('ip:b', 1, t0 + 10_000)).toBeUndefined();
    // the window of ip:a began at its first point (t0 + 1): it has ended at t0 + 60_001
    expect(windows.consume('ip:a', 1, t0 + 60_001)).toBeUndefined();
  });

  it('charges several points at once', () => {
    const windows = new MemoryWindows(10, 1);
    expect(windows.consume('k', 10, 0)).toBeUndefined();
    expect(windows.consume('k', 1, 0)).toBe(1);
  });
});
