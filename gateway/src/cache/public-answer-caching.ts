import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { ParsedRequest } from '../../../common/http/apollo-handler';
import { weakEtag, type CachingHeaders } from '../../../common/http/conditional';
import type { GatewayContext } from '../context';
import { isCompleteAnswer } from './complete-answer';

/** A public answer may be stored by any cache but must be revalidated (If-None-Match) before each use. */
export const PUBLIC_REVALIDATE = 'public, max-age=0, must-revalidate';
/** What every other answer says: nothing stores it. */
export const NO_STORE = 'no-store';
/** A public answer depends on these request headers (an authenticated request gets a private answer). */
export const PUBLIC_VARY = 'accept, accept-language, authorization';

/**
 * HTTP caching for pollers at `/graphql`: a GET query answered to an anonymous caller with PUBLIC
 * data only, complete (every member answered, nothing dropped or cut, no error), gets a weak
 * `ETag` over its data and may be revalidated with `If-None-Match` (304, no body). Everything else
 * (authenticated callers, POST, partial answers, errors) is `no-store`, with no tag. Mutations
 * never come by GET (Apollo answers 405), and GET keeps Apollo's CSRF prevention: a browser form
 * cannot send the `apollo-require-preflight` header a GET needs.
 */
export class PublicAnswerCaching {
  private readonly contexts = new WeakMap<IncomingMessage, GatewayContext>();

  /** Remembers a request's context: its member reports tell a complete answer. */
  track(req: IncomingMessage, context: GatewayContext): void {
    this.contexts.set(req, context);
  }

  headers({ req, auth }: ParsedRequest<Caller>, response: { status: number; body: string; intercepted?: boolean }): CachingHeaders | undefined {
    if (req.method !== 'GET') return undefined;
    if (!auth.anonymous || response.status !== 200) return { 'cache-control': NO_STORE };
    // a response-cache hit was complete when it was stored; anything else is judged by its reports
    if (!response.intercepted && !isCompleteAnswer(this.contexts.get(req)?.reports)) return { 'cache-control': NO_STORE };
    return publicAnswerHeaders(response.body);
  }
}

/**
 * The caching headers of a complete 200 answer to an anonymous GET, from its body: a tag over its
 * data, or `no-store` when it holds errors or no data. A function of the body alone, so a
 * response-cache hit works it out once per stored answer (cache-hit-shortcut.ts).
 */
export function publicAnswerHeaders(body: string): CachingHeaders {
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { 'cache-control': NO_STORE };
  }
  if (parsed.errors !== undefined || parsed.data === undefined || parsed.data === null) return { 'cache-control': NO_STORE };
  return { 'cache-control': PUBLIC_REVALIDATE, etag: weakEtag(JSON.stringify(parsed.data)), vary: PUBLIC_VARY };
}
