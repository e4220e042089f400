import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'graphql';
import { loadMemberContract } from '../../../schema/contract';
import { planOperation } from '../fanout/operation-plan';
import { heapBytes, heapSizedCache, type HeapSized } from './heap-size';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const contract = loadMemberContract();

/** Distinct operation texts like callers send: small ones and ones with fragments, variables and nesting. */
const texts = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return i % 2
      ? `query Small${i} { services { id u${i}: name } }`
      : `query Big${i}($f: ServiceFilter) { services(filter: $f) { ...S${i} capacity { id total used resource } member { id name } } a${i}: incidents { id severity } } fragment S${i} on Service { id name kind }`;
  });

/**
 * Heap retained by the values `make` builds for 1,000 texts, and the sum of their estimates.
 * Measured as the heap released when those values are dropped (both sides after full
 * collections). Other suites share this Jest worker, and their garbage can be collected inside a
 * measurement, so it is taken three times and the trial with the median ratio is returned.
 */
function measure(kind: HeapSized, make: (text: string) => unknown, estimateOf: (value: unknown) => number = (v) => heapBytes(kind, v)) {
  for (const t of texts(50, 9e6)) make(t); // warm up the code paths first
  const trials = [0, 1, 2].map(() => {
    const batch = texts(1000, Math.floor(Math.random() * 1e6));
    gc();
    gc();
    let kept: unknown[] = batch.map(make);
    const estimated = kept.reduce((sum: number, v) => sum + estimateOf(v), 0);
    gc();
    gc();
    const withValues = process.memoryUsage().heapUsed;
    kept = [];
    gc();
    gc();
    const retained = withValues - process.memoryUsage().heapUsed + kept.length;
    return { retained, estimated };
  });
  trials.sort((a, b) => a.estimated / a.retained - b.estimated / b.retained);
  return trials[1];
}

describe('heapBytes: estimates of what cached values take on the heap', () => {
  // The estimate must not fall below what a value really takes (a cache of N MiB would then hold
  // more), and should not exceed it by much (the cache would keep needlessly little).
  it.each([
    ['parsed documents with locations', 'locatedDocument' as const, (t: string) => parse(t)],
    ['parsed documents without locations', 'document' as const, (t: string) => parse(t, { noLocation: true })],
  ])('%s', (_name, kind, make) => {
    const { retained, estimated } = measure(kind, make);
    expect(estimated).toBeGreaterThanOrEqual(retained * 0.9);
    expect(estimated).toBeLessThanOrEqual(retained * 2);
  });

  it('fan-out operation plans (their probed document and texts)', () => {
    const { retained, estimated } = measure(
      'operationPlan',
      (t) => planOperation(t, contract),
      (plan) => heapBytes('operationPlan', (plan as ReturnType<typeof planOperation>).probed) + 3 * (plan as ReturnType<typeof planOperation>).probedText.length,
    );
    expect(estimated).toBeGreaterThanOrEqual(retained * 0.9);
    expect(estimated).toBeLessThanOrEqual(retained * 2.5);
  });

  it('plain JSON length (the default sizing) undercounts a located document several times over', () => {
    const { retained } = measure('locatedDocument', (t) => parse(t));
    const json = texts(1000).reduce((sum, t) => sum + JSON.stringify(parse(t)).length, 0);
    expect(retained / json).toBeGreaterThan(3);
  });
});

describe('heapSizedCache', () => {
  it('keeps at most its byte budget, dropping the least recently used', async () => {
    const cache = heapSizedCache<ReturnType<typeof parse>>('locatedDocument', 200_000);
    const all = texts(400);
    for (const t of all) await cache.set(t, parse(t));
    const kept = cache.keys();
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(all.length);
    const size = await Promise.all(kept.map(async (k) => heapBytes('locatedDocument', await cache.get(k))));
    expect(size.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(200_000);
    // the newest are the ones kept
    expect(kept).toContain(all[all.length - 1]);
    expect(await cache.get(all[0])).toBeUndefined();
  });
});
