import { parse, stripIgnoredCharacters } from 'graphql';

/**
 * The same operation written with other whitespace, commas or comments is the same operation:
 * stripping ignored characters before Apollo Server sees the text makes them share one parsed
 * document and one query plan. Requests that carry an APQ hash keep their exact text (the hash
 * is of it). Text that does not parse within `maxTokens` is left as sent, so a syntax error or a
 * token-limit refusal points into the caller's own text. (Validation errors of a normalized
 * operation point into the normalized text.)
 */
export function normalizeOperationText(body: unknown, maxTokens: number): void {
  if (!body || typeof body !== 'object') return;
  const request = body as { query?: unknown; extensions?: { persistedQuery?: unknown } };
  if (typeof request.query !== 'string' || request.extensions?.persistedQuery !== undefined) return;
  try {
    const normalized = stripIgnoredCharacters(request.query);
    if (normalized === request.query) return;
    parse(normalized, { noLocation: true, maxTokens });
    request.query = normalized;
  } catch {
    // GraphQL refuses it, with positions in the caller's own text
  }
}
