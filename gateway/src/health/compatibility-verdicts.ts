import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Compatibility } from '../../../schema/compatibility';

/** Distinct member SDLs remembered: one per schema version the network runs, with room to spare. */
const MAX_SDLS = 64;

/**
 * Remembers the compatibility verdict per exact SDL text. Every member runs the same codebase, so
 * a network of 500 members serves a handful of distinct SDLs; building each into a schema and
 * diffing it with the contract costs milliseconds of CPU, which the health rounds would otherwise
 * pay once per member. The verdict depends only on the SDL and the contract (fixed for the
 * process), so it is shared by every member that serves the same text; a check that throws is
 * not remembered.
 *
 * @example
 * const verdicts = new CompatibilityVerdicts((sdl) => checkCompatibility(contract.schema, sdl));
 * const { compatible, problems } = await verdicts.check(memberSdl);
 */
export class CompatibilityVerdicts {
  private readonly verdicts = new LRUCache<string, Promise<Compatibility>>({ max: MAX_SDLS });

  constructor(private readonly compute: (sdl: string) => Promise<Compatibility>) {}

  check(sdl: string): Promise<Compatibility> {
    const key = createHash('sha256').update(sdl).digest('base64url');
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = this.compute(sdl);
      this.verdicts.set(key, verdict);
      verdict.catch(() => this.verdicts.delete(key));
    }
    return verdict;
  }
}
