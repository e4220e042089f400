import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, GraphQLError, parse, print, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { createHandler, type ExecutionResult } from 'graphql-sse';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../../../common/caller';
import { AuthError, GENERIC_AUTH_MESSAGE } from '../../../common/auth/errors';
import { InfraredError } from '../../../common/errors';
import { passesCsrfPrevention } from '../../../common/http/negotiate';
import { readBodyOrRefuse } from '../../../common/http/read-body';
import { sendGraphQLError } from '../../../common/http/send';
import type { RouteHandler } from '../../../common/http/server';
import type { Logger } from '../../../common/logger';
import type { Refusal } from '../../../common/http/apollo-handler';
import { rateLimitKey } from '../limits/rate-limit';
import { subscribeShared } from './shared-execution';
import { StreamConnection } from './stream-connection';
import type { StreamLimits } from './stream-limits';
import type { StreamContext } from './stream-schema';
import type { SubscriptionHub } from './subscription-hub';
import { tokenExpiresAt } from './token-expiry';
import type { SubscriptionMetrics } from '../observability/subscription-metrics';

export interface StreamRouteOptions {
  hub: SubscriptionHub;
  limits: StreamLimits;
  /** The schema with the subscription root (stream-schema.ts); undefined until the gateway has one. */
  schema(): GraphQLSchema | undefined;
  /** The caller, exactly as /graphql authenticates it (a bound token needs a proof of this request and its body). Throws AuthError. */
  authenticate(req: IncomingMessage, rawBody: Buffer): Promise<Caller>;
  onAuthError(reason: string, req: IncomingMessage, refusal: string): void;
  /** Rate budget: one point per subscription, like a request to /graphql. */
  admit(req: IncomingMessage, caller: Caller): Refusal | undefined | Promise<Refusal | undefined>;
  validationRules: ValidationRule[];
  maxTokens: number;
  maxBodyBytes: number;
  heartbeatMs: number;
  /** Hides the message of unexpected errors. */
  production: boolean;
  /** Events written and streams the gateway ended (observability/subscription-metrics.ts); optional. */
  metrics?: Pick<SubscriptionMetrics, 'delivered' | 'dropped'>;
  logger: Logger;
}

const MAX_LAST_EVENT_ID = 4096;
/** Distinct subscription texts kept parsed and validated. */
const MAX_CHECKED_DOCUMENTS = 256;

interface StreamRequestContext {
  connection: StreamConnection;
}

/** The GraphQL context of a stream's operation: the resolvers open the subscription through it. */
type StreamOperationContext = Record<PropertyKey, unknown> & StreamContext & { connection: StreamConnection };

/**
 * `/graphql/stream`: GraphQL subscriptions over Server-Sent Events, the GraphQL over SSE
 * protocol's distinct-connection mode (graphql-sse). The edge is /graphql's: CSRF prevention,
 * the caller's token (one generic 401), one rate-limit point; then the subscription limits, and
 * a stream whose events carry the network cursor as their SSE `id`, so that a reconnection with
 * `Last-Event-ID` resumes where it stopped. Comment lines every `heartbeatMs` keep proxies from
 * closing an idle stream. Only subscriptions are served here; queries go to /graphql.
 */
export function streamRoute(opts: StreamRouteOptions): {
  handler: RouteHandler;
  recheckCallers(stillValid: (authorization: string) => Promise<boolean>): Promise<number>;
  close(): void;
} {
  const open = new Set<StreamConnection>();
  /** Each parsed subscription's text, the key its shared results are kept under. */
  const texts = new WeakMap<DocumentNode, string>();
  /**
   * Subscription texts already parsed and validated against a schema: subscribers who send the
   * same text (a dashboard's, a bot's) share one document, parsed and validated once.
   */
  const checked = new LRUCache<string, { schema: GraphQLSchema; document: DocumentNode }>({ max: MAX_CHECKED_DOCUMENTS });
  const sse = createHandler<IncomingMessage, StreamRequestContext, StreamOperationContext>({
    authenticate: () => null, // distinct connections only: no per-process stream reservations
    onSubscribe(req, params) {
      const schema = opts.schema();
      if (!schema)
        return [
          JSON.stringify({ errors: [{ message: 'the gateway has no schema yet; retry', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
          { status: 503, statusText: 'Service Unavailable', headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' } },
        ];
      const known = checked.get(params.query);
      let document: DocumentNode;
      if (known?.schema === schema) document = known.document;
      else {
        try {
          document = parse(params.query, { maxTokens: opts.maxTokens });
        } catch (err) {
          return badRequest((err as Error).message, 'GRAPHQL_PARSE_FAILED');
        }
      }
      const operation = getOperationAST(document, params.operationName);
      if (!operation) return badRequest('name the operation to run (operationName): the document has none or several', 'BAD_SUBSCRIPTION');
      if (operation.operation !== 'subscription') return badRequest(`only subscriptions are served here; send ${operation.operation} operations to /graphql`, 'BAD_SUBSCRIPTION');
      if (known?.schema !== schema) {
        const errors = validate(schema, document, [...specifiedRules, ...opts.validationRules]);
        if (errors.length) return badRequest(errors.map((e) => e.message).join('; '), 'GRAPHQL_VALIDATION_FAILED');
        checked.set(params.query, { schema, document });
        texts.set(document, params.query);
      }
      return { schema, document, operationName: params.operationName, variableValues: params.variables, contextValue: operationContext(req.context.connection) };
    },
    subscribe: (args) => subscribeShared(args, texts.get(args.document) ?? print(args.document)),
    onNext: (context, _req, result) => context.connection.beforeEvent(withErrorCodes(result as ExecutionResult, opts.production)),
  });

  async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') return sendGraphQLError(res, 405, 'METHOD_NOT_ALLOWED', 'use GET or POST with Accept: text/event-stream', { allow: 'GET, POST' }, req);
    if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
      return sendGraphQLError(res, 406, 'NOT_ACCEPTABLE', 'this route streams server-sent events: send Accept: text/event-stream (queries go to /graphql)', {}, req);
    }
    if (!passesCsrfPrevention(req)) {
      return sendGraphQLError(
        res,
        400,
        'BAD_REQUEST',
        'this request could be a cross-site request forgery: send Content-Type: application/json (POST), or a non-empty Apollo-Require-Preflight header (GET)',
        {},
        req,
      );
    }
    let rawBody: Buffer = Buffer.alloc(0);
    if (req.method === 'POST') {
      const read = await readBodyOrRefuse(req, res, opts.maxBodyBytes);
      if (!read) return;
      rawBody = read;
    }
    let caller: Caller;
    try {
      caller = await opts.authenticate(req, rawBody);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      opts.onAuthError(err.reason, req, err.refusal);
      return sendGraphQLError(res, 401, 'UNAUTHENTICATED', GENERIC_AUTH_MESSAGE, { 'www-authenticate': 'Bearer' }, req);
    }
    const body = rawBody.toString('utf8');
    const refusal = await opts.admit(req, caller);
    if (refusal) return sendGraphQLError(res, refusal.status, refusal.code, refusal.message, refusal.headers, req);
    const lastEventId = req.headers['last-event-id'];
    if (lastEventId !== undefined && (typeof lastEventId !== 'string' || lastEventId.length > MAX_LAST_EVENT_ID)) {
      return sendGraphQLError(res, 400, 'BAD_REQUEST', `Last-Event-ID must be one cursor of at most ${MAX_LAST_EVENT_ID} characters`, {}, req);
    }
    let release: () => void;
    try {
      release = opts.limits.acquire(rateLimitKey(caller, req.socket.remoteAddress));
    } catch (err) {
      if (err instanceof InfraredError) return sendGraphQLError(res, 429, err.code, err.message, { 'retry-after': '5' }, req);
      throw err;
    }
    const connection = new StreamConnection(res, caller, lastEventId || undefined, opts.hub, () => {
      open.delete(connection);
      release();
    });
    open.add(connection);
    // a client that leaves while its stream is being positioned (before the answer) frees it at once
    res.once('close', () => connection.finish());
    try {
      await serve(req, res, body, connection);
    } finally {
      connection.finish();
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, body: string, connection: StreamConnection): Promise<void> {
    const [out, init] = await sse({
      method: req.method!,
      url: req.url!,
      // the library matches the Accept header exactly; the edge has already checked it
      headers: { get: (key) => (key === 'accept' ? 'text/event-stream' : (req.headers[key] as string | undefined)) },
      body,
      raw: req,
      context: { connection },
    });
    if (!out || typeof out === 'string') {
      res.writeHead(init.status, init.headers);
      res.end(out ?? undefined);
      return;
    }
    if (connection.ended) {
      await out.return(undefined);
      return;
    }
    res.writeHead(init.status, { ...init.headers, 'x-accel-buffering': 'no' });
    let lastWrite = Date.now();
    const heartbeat = setInterval(() => {
      if (Date.now() - lastWrite >= opts.heartbeatMs / 2 && res.writable) res.write(': heartbeat\n\n');
    }, opts.heartbeatMs);
    heartbeat.unref();
    const expiresAt = tokenExpiresAt(req.headers.authorization);
    const expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () => {
              if (connection.ended) return;
              opts.metrics?.dropped('token_expired');
              connection.fail(new InfraredError('UNAUTHENTICATED', 'the caller token expired: reconnect with a fresh token and the last event id'));
            },
            Math.max(0, expiresAt - Date.now()),
          );
    expiry?.unref();
    res.once('close', () => {
      connection.finish();
      void out.return(undefined);
    });
    try {
      for await (const message of out) {
        if (connection.ended) break;
        const isEvent = message.startsWith('event: next');
        const id = isEvent ? connection.idForNextEvent() : undefined;
        const ok = await write(res, id === undefined ? message : `id: ${id}\n${message}`);
        lastWrite = Date.now();
        if (isEvent) {
          connection.written();
          if (ok) opts.metrics?.delivered();
        }
        if (!ok) break;
      }
    } catch (err) {
      opts.logger.warn({ err: { message: (err as Error).message } }, 'subscription stream failed');
      connection.fail(new InfraredError('FEED_UNAVAILABLE', 'the subscription failed; reconnect with the last event id'));
    } finally {
      clearInterval(heartbeat);
      clearTimeout(expiry);
    }
  }

  return {
    handler,
    /**
     * Ends, with a final UNAUTHENTICATED error event, every open stream whose caller token
     * `stillValid` no longer accepts (revoked, its issuer's key unpinned, its member gone): a
     * stream does not outlive the token that opened it. Run it when the registry changes.
     */
    async recheckCallers(stillValid: (authorization: string) => Promise<boolean>): Promise<number> {
      let ended = 0;
      // streams opened with one token are judged once
      const verdicts = new Map<string, Promise<boolean>>();
      for (const connection of [...open]) {
        const authorization = connection.authorization;
        if (authorization === undefined || connection.ended) continue;
        let verdict = verdicts.get(authorization);
        if (!verdict) verdicts.set(authorization, (verdict = stillValid(authorization)));
        let valid: boolean;
        try {
          valid = await verdict;
        } catch (err) {
          opts.logger.warn({ err: { message: (err as Error).message } }, 'subscription: cannot recheck a caller token; the stream goes on');
          continue;
        }
        if (valid || connection.ended) continue;
        opts.metrics?.dropped('token_revoked');
        connection.fail(new InfraredError('UNAUTHENTICATED', 'the caller token is no longer accepted (revoked): get a new token, then reconnect with the last event id'));
        ended++;
      }
      return ended;
    },
    /** Ends every open stream without `complete`: clients reconnect (elsewhere) with their last event id. */
    close() {
      for (const connection of [...open]) connection.finish();
    },
  };
}

/** Every error in an event carries `extensions.code` (the InfraredError's, else INTERNAL_SERVER_ERROR without detail in production). */
function withErrorCodes(result: ExecutionResult, production: boolean): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const e = error as GraphQLError;
    const original = e.originalError;
    if (e.extensions?.code) return e;
    if (original instanceof InfraredError) return new GraphQLError(original.message, { path: e.path, extensions: { code: original.code } });
    if (!original) return new GraphQLError(e.message, { path: e.path, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    return new GraphQLError(production ? 'internal server error' : e.message, { path: e.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
  return { ...result, errors };
}

function operationContext(connection: StreamConnection): StreamOperationContext {
  return { connection, open: (args) => connection.open(args) };
}

function write(res: ServerResponse, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!res.writable) return resolve(false);
    res.write(text, (err) => resolve(!err));
  });
}

function badRequest(message: string, code: string): [string, { status: number; statusText: string; headers: Record<string, string> }] {
  return [
    JSON.stringify({ errors: [new GraphQLError(message, { extensions: { code } }).toJSON()] }),
    { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } },
  ];
}
