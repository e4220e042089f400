import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';

/** What a request was found to be the last time its exact bytes came: the key of its answer in the response cache, and its metrics label. */
export interface KnownRequest {
  cacheKey: string;
  operation: string;
}

/** Bodies longer than this are not remembered (rare, and not worth the memory). */
const MAX_REMEMBERED_BODY = 16 * 1024;
const DEFAULT_INDEX_BYTES = 4 * 2 ** 20;

/**
 * Request bytes → the response-cache key they were found to have, so a repeated request finds its
 * cached answer without its body being parsed, its operation text normalized and classified, and
 * its key hashed again. The key is a function of exactly what {@link requestIdentity} holds, so
 * this is a memo and never an answer: whether the answer is still there (its generation, its TTL)
 * is asked of the response cache on every use, and an invalidation needs nothing here. Only
 * requests whose answer was stored are remembered (they passed the persisted-operation gate and
 * were anonymous queries); bounded by bytes (LRU).
 *
 * @example
 * const known = new KnownRequests();
 * known.remember(req, rawBody, { cacheKey, operation: 'Services' }); // after storing its answer
 * known.recall(sameRequestAgain, sameBytes)?.cacheKey; // cacheKey
 */
export class KnownRequests {
  private readonly index: LRUCache<string, KnownRequest>;

  constructor(maxBytes = DEFAULT_INDEX_BYTES) {
    this.index = new LRUCache({ maxSize: maxBytes, sizeCalculation: (known, identity) => 2 * (identity.length + known.cacheKey.length + known.operation.length) + 96 });
  }

  remember(req: IncomingMessage, rawBody: Buffer, known: KnownRequest): void {
    const identity = requestIdentity(req, rawBody);
    if (identity !== undefined) this.index.set(identity, known);
  }

  recall(req: IncomingMessage, rawBody: Buffer): KnownRequest | undefined {
    const identity = requestIdentity(req, rawBody);
    return identity === undefined ? undefined : this.index.get(identity);
  }
}

/**
 * Everything a request's response-cache key is computed from (cacheable.ts), and nothing else:
 * the method, the URL (a GET's operation), the `Content-Type` (whether the body is parsed as
 * JSON), `Accept-Language` and the body's exact bytes. Each part but the last is length-prefixed,
 * so no two requests share an identity. Who the caller is, is not in it: only anonymous requests
 * are looked up (cache-hit-shortcut.ts). Undefined for methods other than GET and POST and for
 * long bodies.
 */
export function requestIdentity(req: IncomingMessage, rawBody: Buffer): string | undefined {
  if ((req.method !== 'POST' && req.method !== 'GET') || rawBody.length > MAX_REMEMBERED_BODY) return undefined;
  // latin1: one character per byte, so distinct bytes stay distinct (utf8 would merge invalid sequences)
  return `${req.method}${part(req.url)}${part(req.headers['content-type'])}${part(req.headers['accept-language'])}${rawBody.toString('latin1')}`;
}

/** `-` for an absent header, else its length, `:` and the value (so '' and absent differ). */
function part(value: string | undefined): string {
  return value === undefined ? '-' : `${value.length}:${value}`;
}
