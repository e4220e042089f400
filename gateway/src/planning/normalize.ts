import { stripIgnoredCharacters } from 'graphql';

/**
 * The same operation written with other whitespace, commas or comments is the same operation:
 * stripping ignored characters before Apollo Server sees the text makes them share one parsed
 * document and one query plan. Requests that carry an APQ hash keep their exact text (the hash
 * is of it); text that does not lex is left for GraphQL to refuse.
 */
export function normalizeOperationText(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const request = body as { query?: unknown; extensions?: { persistedQuery?: unknown } };
  if (typeof request.query !== 'string' || request.extensions?.persistedQuery !== undefined) return;
  try {
    request.query = stripIgnoredCharacters(request.query);
  } catch {
    // a syntax error: GraphQL reports it with its position in the caller's own text
  }
}
