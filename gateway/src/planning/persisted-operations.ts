import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { z } from 'zod';

/** Apollo's persisted query manifest (`generate-persisted-query-manifest`), or a plain { sha256: text } map. */
const manifestSchema = z.union([
  z.object({
    format: z.literal('apollo-persisted-query-manifest'),
    version: z.literal(1),
    operations: z.array(z.object({ id: z.string(), body: z.string(), name: z.string().optional(), type: z.string().optional() })),
  }),
  z.record(z.string(), z.string()),
]);

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads a list of known operations; every id must be the SHA-256 of its text, as APQ hashes it. */
export function readPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`persisted operations file ${file}: ${(err as Error).message}`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new Error(`persisted operations file ${file}: expected an Apollo persisted query manifest or an object of { sha256: query }`);
  const entries =
    'operations' in result.data && Array.isArray(result.data.operations) ? result.data.operations.map((o) => [o.id, o.body] as const) : Object.entries(result.data as Record<string, string>);
  const known = new Map<string, string>();
  for (const [id, body] of entries) {
    if (sha256Hex(body) !== id.toLowerCase()) throw new Error(`persisted operations file ${file}: id ${id.slice(0, 16)}… is not the SHA-256 of its operation`);
    known.set(id.toLowerCase(), body);
  }
  return known;
}

/**
 * The cache behind Apollo Server's automatic persisted queries: the known operations answer
 * first (so a caller can send only their hash, by POST or GET), then, unless only known
 * operations are accepted, hashes registered by callers (a bounded LRU).
 */
export class PersistedOperationCache implements KeyValueCache<string> {
  constructor(
    private readonly known: ReadonlyMap<string, string>,
    private readonly registered: KeyValueCache<string> | undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.known.get(key.slice(key.lastIndexOf(':') + 1)) ?? (await this.registered?.get(key));
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.registered?.set(key, value, options);
  }

  async delete(key: string): Promise<boolean | void> {
    return this.registered?.delete(key);
  }
}

/** The operation text and APQ hash of a request, whether it came by POST body or GET query string. */
export function requestedOperation(req: IncomingMessage, body: unknown): { query?: string; hash?: string } {
  let query: unknown;
  let extensions: unknown;
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
    query = params.get('query') ?? undefined;
    try {
      extensions = params.has('extensions') ? JSON.parse(params.get('extensions')!) : undefined;
    } catch {
      extensions = undefined;
    }
  } else if (body && typeof body === 'object') {
    ({ query, extensions } = body as { query?: unknown; extensions?: unknown });
  }
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return { query: typeof query === 'string' ? query : undefined, hash: typeof hash === 'string' ? hash.toLowerCase() : undefined };
}

/**
 * With only known operations accepted: a request must name a known operation, by its hash or by
 * its exact text. Anything else is refused before it is parsed or planned.
 */
export function refuseUnknown(known: ReadonlyMap<string, string>, req: IncomingMessage, body: unknown): { status: number; code: string; message: string } | undefined {
  const { query, hash } = requestedOperation(req, body);
  if (query !== undefined ? known.has(sha256Hex(query)) : hash !== undefined && known.has(hash)) return undefined;
  if (query === undefined && hash === undefined) return undefined; // not an operation: GraphQL answers 400 itself
  return { status: 400, code: 'PERSISTED_QUERY_NOT_ALLOWED', message: 'This gateway accepts only its known (persisted) operations' };
}
