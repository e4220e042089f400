import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the heap grow past what is live before a full collection. By default
 * V8 sizes the next old-generation limit at up to 4× the live heap when the process allocates
 * fast and has memory to spare (a gateway planning a stream of new operation texts does both),
 * so a gateway with 90 MB live reached 455 MB RSS. With a fixed growth of `percent`, the next
 * full collection starts at (1 + percent/100) × live: more frequent collections (they run
 * mostly concurrently), in a heap that stays close to what is live.
 *
 * V8 reads this flag each time it sets a new limit, so setting it once the process runs takes
 * effect at the next collection. It applies to the whole process, so `infrared gateway start`
 * (and the benchmarks' gateway process) call it, not `createGateway`: a program that embeds a
 * gateway next to other work (the demo, the tests) keeps V8's defaults unless it decides
 * otherwise. 0 leaves V8's own heuristics in place.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
