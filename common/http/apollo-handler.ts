import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readBodyOrRefuse } from './read-body';
import { graphqlContentType, passesCsrfPrevention } from './negotiate';
import { sendGraphQLError } from './send';
import { AuthError, GENERIC_AUTH_MESSAGE, type AuthRefusal } from '../auth/errors';
import { ifNoneMatchHits, type CachingHeaders } from './conditional';

export interface GraphQLRequestInfo<TAuth = unknown> {
  req: IncomingMessage;
  /** The exact bytes of the request body (empty for GET). */
  rawBody: Buffer;
  /** What `authenticate` concluded. */
  auth: TAuth;
}

export interface ApolloHandlerOptions<TContext extends BaseContext, TAuth> {
  server: ApolloServer<TContext>;
  /**
   * Runs after the body is read (`rawBody`: its exact bytes; `body`: parsed, as GraphQL gets it)
   * and before GraphQL: decides who the caller is. An AuthError
   * becomes a 401 with one generic message; the reason goes to `onAuthError` (the log) only.
   */
  authenticate: (req: IncomingMessage, rawBody: Buffer, body: unknown) => Promise<TAuth>;
  onAuthError: (reason: string, req: IncomingMessage, refusal: AuthRefusal) => void;
  /**
   * What `authenticate` left running (a replay store's answer, see PendingChecks): `intercept`,
   * which answers without effects, may run meanwhile, but no answer leaves and nothing else runs
   * before it settles; an AuthError from it is the same 401 as one from `authenticate`.
   */
  pending?: (req: IncomingMessage) => Promise<void> | undefined;
  context: (info: GraphQLRequestInfo<TAuth>) => Promise<TContext>;
  /** After authentication: refuse the request (rate limits) with a status, code and headers. */
  admit?: (req: IncomingMessage, auth: TAuth) => Refusal | undefined | Promise<Refusal | undefined>;
  maxBodyBytes: number;
  /** Before GraphQL: answer from elsewhere (a response cache), or undefined to execute. */
  intercept?: (request: ParsedRequest<TAuth>) => Promise<{ status: number; body: string; headers?: Record<string, string> } | undefined>;
  /** After a complete response: metrics, caching, invalidation. */
  observe?: (request: ParsedRequest<TAuth>, response: { status: number; body: string; intercepted?: boolean }, startedAt: number) => void;
  /**
   * The caching headers of a complete answer (its `cache-control`, and for a cacheable one its
   * `etag`), or undefined to keep Apollo's. A request whose `If-None-Match` holds the answer's tag
   * gets 304 without a body.
   */
  caching?: (request: ParsedRequest<TAuth>, response: { status: number; body: string; intercepted?: boolean }) => CachingHeaders | undefined;
  /**
   * Right after the body is read, before it is parsed, authenticated or admitted: a complete
   * answer for a request the route recognises by its bytes (the gateway's response-cache hits),
   * or undefined to go the ordinary way. It is asked only when the request passes CSRF prevention
   * and accepts a GraphQL content type (as `intercept`), and it stands in for everything else the
   * ordinary path does before an early answer: it must itself be sure of the caller (it runs
   * before `authenticate`, and no `pending` check follows), charge the rate limit (a `refusal`
   * is sent as `admit`'s are) and count its metrics (no `observe` or `caching` call follows).
   */
  shortcut?: (req: IncomingMessage, rawBody: Buffer) => ShortcutAnswer | undefined | Promise<ShortcutAnswer | undefined>;
}

/** A refusal before GraphQL (a rate limit): its status, error code and message, and headers such as `retry-after`. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** A shortcut's answer: stored bytes (with their length, worked out once), or a refusal. */
export type ShortcutAnswer = { status: number; bytes: Buffer; contentLength: string; headers: Record<string, string>; caching?: CachingHeaders; refusal?: undefined } | { refusal: Refusal };

export interface ParsedRequest<TAuth> {
  req: IncomingMessage;
  auth: TAuth;
  /** The parsed JSON body (POST) or undefined (GET). */
  body: unknown;
  /** The exact bytes of the request body (empty for GET). */
  rawBody: Buffer;
}

/** The body of a GET (one shared empty buffer: nothing writes into it). */
const NO_BODY = Buffer.alloc(0);

/**
 * Serves an ApolloServer on a plain node:http request, the integration API Apollo documents
 * (`executeHTTPGraphQLRequest`), without a web framework in between.
 */
export function createApolloHandler<TContext extends BaseContext, TAuth>(opts: ApolloHandlerOptions<TContext, TAuth>) {
  return async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let rawBody: Buffer = NO_BODY;
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const read = await readBodyOrRefuse(req, res, opts.maxBodyBytes);
      if (!read) return;
      rawBody = read;
    }
    if (opts.shortcut) {
      const answered = answeredByShortcut(opts.shortcut, req, res, rawBody);
      if (answered === true || (answered !== false && (await answered))) return;
    }
    if (req.method === 'POST') {
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('json')) {
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          return sendGraphQLError(res, 400, 'BAD_REQUEST', 'request body is not valid JSON', {}, req);
        }
      } else {
        body = rawBody.toString('utf8');
      }
    }
    const refuse = (err: unknown) => {
      if (!(err instanceof AuthError)) throw err;
      opts.onAuthError(err.reason, req, err.refusal);
      sendGraphQLError(res, 401, 'UNAUTHENTICATED', GENERIC_AUTH_MESSAGE, { 'www-authenticate': 'Bearer' }, req);
    };
    let auth: TAuth;
    try {
      auth = await opts.authenticate(req, rawBody, body);
    } catch (err) {
      return refuse(err);
    }
    const pending = opts.pending?.(req);
    /** False when what authentication left running refused the request (401 sent). */
    const settled = async () => {
      try {
        await pending;
        return true;
      } catch (err) {
        refuse(err);
        return false;
      }
    };
    const startedAt = performance.now();
    const refusal = await opts.admit?.(req, auth);
    if (refusal) {
      if (!(await settled())) return;
      return sendGraphQLError(res, refusal.status, refusal.code, refusal.message, refusal.headers, req);
    }
    const parsed: ParsedRequest<TAuth> = { req, auth, body, rawBody };
    // an early answer (a cache hit) passes the checks Apollo applies to every other answer: CSRF
    // prevention and content negotiation; a request that fails them goes to Apollo, which refuses it
    const contentType = opts.intercept && passesCsrfPrevention(req) ? graphqlContentType(req) : undefined;
    const early = contentType ? await opts.intercept!(parsed) : undefined;
    if (!(await settled())) return;
    if (early) {
      const caching = opts.caching?.(parsed, { ...early, intercepted: true });
      if (!notModified(req, res, caching)) {
        res.writeHead(early.status, { 'content-type': contentType!, 'content-length': String(Buffer.byteLength(early.body)), ...early.headers, ...caching });
        res.end(early.body);
      }
      opts.observe?.(parsed, { ...early, intercepted: true }, startedAt);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const result = await opts.server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: q >= 0 ? url.slice(q) : '', body },
      context: () => opts.context({ req, rawBody, auth }),
    });
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of result.headers) outHeaders[key] = value;
    if (result.body.kind === 'complete') {
      const caching = opts.caching?.(parsed, { status: result.status ?? 200, body: result.body.string });
      if (notModified(req, res, caching)) {
        opts.observe?.(parsed, { status: result.status ?? 200, body: result.body.string }, startedAt);
        return;
      }
      outHeaders['content-length'] = String(Buffer.byteLength(result.body.string));
      res.writeHead(result.status ?? 200, { ...outHeaders, ...caching });
      res.end(result.body.string);
      opts.observe?.(parsed, { status: result.status ?? 200, body: result.body.string }, startedAt);
      return;
    }
    res.writeHead(result.status ?? 200, outHeaders);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * Asks the shortcut (see `shortcut` in ApolloHandlerOptions) and sends its answer: true when it
 * answered. Only a promise when the shortcut returns one, so an answer from memory is written in
 * the same turn its body was read.
 */
function answeredByShortcut(shortcut: NonNullable<ApolloHandlerOptions<BaseContext, unknown>['shortcut']>, req: IncomingMessage, res: ServerResponse, rawBody: Buffer): boolean | Promise<boolean> {
  const contentType = passesCsrfPrevention(req) ? graphqlContentType(req) : undefined;
  if (!contentType) return false;
  const answer = shortcut(req, rawBody);
  if (answer instanceof Promise) return answer.then((found) => sendShortcutAnswer(req, res, contentType, found));
  return sendShortcutAnswer(req, res, contentType, answer);
}

function sendShortcutAnswer(req: IncomingMessage, res: ServerResponse, contentType: string, answer: ShortcutAnswer | undefined): boolean {
  if (!answer) return false;
  if (answer.refusal) {
    const { status, code, message, headers } = answer.refusal;
    sendGraphQLError(res, status, code, message, headers, req);
    return true;
  }
  const { caching } = answer;
  if (caching && notModified(req, res, caching)) return true;
  const headers = { 'content-type': contentType, 'content-length': answer.contentLength, ...answer.headers };
  res.writeHead(answer.status, caching ? { ...headers, ...caching } : headers);
  res.end(answer.bytes);
  return true;
}

/** Answers 304 (no body, the same caching headers) when the request already holds the answer's tag. */
function notModified(req: IncomingMessage, res: ServerResponse, caching: CachingHeaders | undefined): boolean {
  if (!caching?.etag || !ifNoneMatchHits(req.headers['if-none-match'], caching.etag)) return false;
  res.writeHead(304, { ...caching });
  res.end();
  return true;
}
