import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

/**
 * What a cached value really occupies on the V8 heap, approximately, from the length of its JSON.
 * JSON is far smaller than the objects it describes: every AST node, Location and Token is an
 * object with its own header, hidden class and property slots. Measured on this code's own
 * operations (a retained batch of 3,000, after full GCs; `heap-size.test.ts` re-measures them):
 *
 * | value | heap ÷ JSON bytes |
 * |---|---|
 * | parsed document with locations (Apollo Server's document store) | 4.2–4.6 |
 * | parsed document without locations | 2.7–2.9 |
 * | @apollo/gateway query plan | 3.3 |
 * | fan-out operation plan (its probed document and texts) | 3.2–3.8 |
 *
 * Sizing caches by plain JSON length (Apollo's default) let a "16 MiB" document store and a
 * "16 MiB" plan store hold ~75 and ~55 MB, and the gateway's RSS under a stream of unique
 * operation texts went past 450 MB. The factors below round those up.
 */
export const HEAP_FACTOR = {
  locatedDocument: 5,
  document: 3,
  queryPlan: 4,
  operationPlan: 4,
} as const;

export type HeapSized = keyof typeof HEAP_FACTOR;

/** Approximate heap bytes of a value of this kind; strings count one byte per character. */
export function heapBytes(kind: HeapSized, value: unknown): number {
  if (typeof value === 'string') return value.length + 16;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return Math.max(1, Math.ceil((json?.length ?? 1024) * HEAP_FACTOR[kind]));
}

/** An Apollo `KeyValueCache` (LRU) that holds at most `maxBytes` of heap, by `heapBytes`. */
export function heapSizedCache<T>(kind: HeapSized, maxBytes: number): InMemoryLRUCache<T> {
  return new InMemoryLRUCache<T>({ maxSize: Math.max(1, Math.floor(maxBytes)), sizeCalculation: (value: T) => heapBytes(kind, value) });
}
