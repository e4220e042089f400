import { parse, stripIgnoredCharacters } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * The same operation written with other whitespace, commas or comments is the same operation:
 * stripping ignored characters before Apollo Server sees the text makes them share one parsed
 * document and one query plan. Requests that carry an APQ hash keep their exact text (the hash
 * is of it). Text that does not parse within `maxTokens` is left as sent, so a syntax error or a
 * token-limit refusal points into the caller's own text. (Validation errors of a normalized
 * operation point into the normalized text.)
 */
export function normalizeOperationText(body: unknown, maxTokens: number): void {
  const request = operationOf(body);
  if (request) request.query = normalizedText(request.query, maxTokens);
}

/** Default heap for remembered texts: the normalized text of each recent operation text. */
const DEFAULT_MEMO_BYTES = 4 * 2 ** 20;
/** Longer texts are normalized every time (rare, and not worth the memory). */
const MEMO_TEXT_MAX = 16 * 1024;

/**
 * `normalizeOperationText` with the result of each recent text remembered, so the same text sent
 * again (the common case: clients repeat their operations) is not lexed and parsed again on every
 * request, a response-cache hit included. Bounded by bytes (LRU).
 *
 * @example
 * const normalize = new OperationTextNormalizer(2000);
 * normalize.apply(body); // body.query is now the normalized text
 */
export class OperationTextNormalizer {
  private readonly memo: LRUCache<string, string>;
  /** Texts normalized from scratch so far (for tests). */
  computed = 0;

  constructor(
    private readonly maxTokens: number,
    maxBytes = DEFAULT_MEMO_BYTES,
  ) {
    this.memo = new LRUCache({ maxSize: maxBytes, sizeCalculation: (normalized, text) => 2 * (text.length + normalized.length) + 64 });
  }

  apply(body: unknown): void {
    const request = operationOf(body);
    if (!request) return;
    const text = request.query;
    let normalized = this.memo.get(text);
    if (normalized === undefined) {
      normalized = normalizedText(text, this.maxTokens);
      this.computed++;
      if (text.length <= MEMO_TEXT_MAX) this.memo.set(text, normalized);
    }
    request.query = normalized;
  }
}

/** The request's operation text, when it is one to normalize (a string without an APQ hash). */
function operationOf(body: unknown): { query: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const request = body as { query?: unknown; extensions?: { persistedQuery?: unknown } };
  if (typeof request.query !== 'string' || request.extensions?.persistedQuery !== undefined) return undefined;
  return request as { query: string };
}

function normalizedText(text: string, maxTokens: number): string {
  try {
    const normalized = stripIgnoredCharacters(text);
    if (normalized === text) return text;
    parse(normalized, { noLocation: true, maxTokens });
    return normalized;
  } catch {
    // GraphQL refuses it, with positions in the caller's own text
    return text;
  }
}
