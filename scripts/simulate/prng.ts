/** mulberry32: a small, seeded PRNG, so a simulation can be repeated exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal-ish latency: median `medianMs`, with a long tail. */
export function latencySampler(random: () => number, medianMs: number, spread = 0.6): () => number {
  return () => {
    const u = Math.max(1e-9, random());
    const v = random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, medianMs * Math.exp(spread * normal));
  };
}
