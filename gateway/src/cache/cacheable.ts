import type { IncomingMessage } from 'node:http';
import { getOperationAST, parse } from 'graphql';
import type { Caller } from '../../../common/caller';
import type { ResponseCache } from './response-cache';

/** Remembers whether a query text is a query or a mutation, parsing each text once. */
export class OperationKinds {
  private readonly kinds = new Map<string, 'query' | 'mutation' | 'other'>();

  kind(body: unknown): 'query' | 'mutation' | 'other' {
    const request = body as { query?: unknown; operationName?: unknown } | undefined;
    if (!request || typeof request.query !== 'string' || request.query.length > 20_000) return 'other';
    const key = `${String(request.operationName ?? '')}\n${request.query}`;
    let kind = this.kinds.get(key);
    if (!kind) {
      try {
        const op = getOperationAST(parse(request.query), typeof request.operationName === 'string' ? request.operationName : undefined);
        kind = op?.operation === 'query' ? 'query' : op?.operation === 'mutation' ? 'mutation' : 'other';
      } catch {
        kind = 'other';
      }
      if (this.kinds.size >= 1000) this.kinds.delete(this.kinds.keys().next().value as string);
      this.kinds.set(key, kind);
    }
    return kind;
  }
}

/**
 * A GET request's operation, from its query string (`query`, `variables`, `operationName`), as
 * Apollo Server reads it; undefined when it has no query text or its variables are not JSON.
 */
export function getRequestBody(req: IncomingMessage): { query: string; variables?: unknown; operationName?: string } | undefined {
  const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
  const query = params.get('query');
  if (query === null) return undefined;
  let variables: unknown;
  try {
    variables = params.has('variables') ? JSON.parse(params.get('variables')!) : undefined;
  } catch {
    return undefined;
  }
  return { query, variables, operationName: params.get('operationName') ?? undefined };
}

/** The response-cache key for an anonymous query (POST, or GET with the query text), or undefined when the request must not be cached. */
export function cacheKeyFor(caller: Caller, postBody: unknown, req: IncomingMessage, kinds: OperationKinds, cache: ResponseCache): string | undefined {
  if (!caller.anonymous) return undefined;
  const body = req.method === 'POST' ? postBody : req.method === 'GET' ? getRequestBody(req) : undefined;
  if (!body || kinds.kind(body) !== 'query') return undefined;
  const request = body as { query: string; variables?: unknown; operationName?: string };
  const language = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'] : undefined;
  return cache.key({ query: request.query, variables: request.variables, operationName: request.operationName, language });
}
