import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { ParsedRequest } from '../../../common/http/apollo-handler';
import type { GatewayContext } from '../context';
import type { GatewayMetrics } from '../observability/metrics';
import { cacheKeyFor, OperationKinds } from './cacheable';
import { isCompleteAnswer } from './complete-answer';
import { KnownRequests, type KnownRequest } from './known-requests';
import type { ResponseCache, StoredAnswer } from './response-cache';

/** A cached answer found for a request's exact bytes, and what the request was found to be. */
export interface KnownAnswer {
  known: KnownRequest;
  answer: StoredAnswer;
}

/**
 * The response cache at the HTTP edge: a cacheable request is answered from the cache before
 * GraphQL runs (`intercept`), and a complete 200 answer is stored after (`observe`). Answers from
 * an older cache generation, or with member errors, drops, cuts or unavailable members, are not stored.
 * A stored answer's request bytes are remembered (KnownRequests), so the same bytes again find it
 * before their body is even parsed (`answerKnown`, for cache-hit-shortcut.ts).
 * Mutations invalidate in invalidateOnMutationPlugin, before their answer is sent.
 */
export class HttpResponseCache {
  /** The cache generation each cacheable request started in. */
  private readonly generations = new WeakMap<object, number>();
  /** Each request's context, so the cache can tell an incomplete answer. */
  private readonly contexts = new WeakMap<object, GatewayContext>();
  private readonly operations = new OperationKinds();
  private readonly known = new KnownRequests();

  constructor(
    private readonly cache: ResponseCache,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Remembers a request's context (its member reports decide whether the answer is stored). */
  track(req: IncomingMessage, context: GatewayContext): void {
    this.contexts.set(req, context);
  }

  async intercept({ auth, body, req }: ParsedRequest<Caller>): Promise<{ status: number; body: string; headers: Record<string, string> } | undefined> {
    const key = cacheKeyFor(auth, body, req, this.operations, this.cache);
    if (!key) return undefined;
    this.generations.set(req, await this.cache.generationNow());
    const hit = await this.cache.get(key);
    this.metrics.cache.inc({ result: hit ? 'hit' : 'miss' });
    return hit ? { status: hit.status, body: hit.body, headers: { 'x-infrared-cache': 'hit' } } : undefined;
  }

  /**
   * The cached answer for a request whose exact bytes (method, URL, the headers its key depends
   * on, body) were stored before, or undefined (not known, or its answer is gone: then the
   * ordinary path runs). At once when the cache is in memory; a promise with Redis. The caller
   * must be anonymous: this does not look at who asks.
   */
  answerKnown(req: IncomingMessage, rawBody: Buffer): KnownAnswer | undefined | Promise<KnownAnswer | undefined> {
    const known = this.known.recall(req, rawBody);
    if (!known) return undefined;
    const answer = this.cache.lookup(known.cacheKey);
    if (answer instanceof Promise) return answer.then((found) => found && { known, answer: found });
    return answer && { known, answer };
  }

  /** Stores a complete 200 answer; `operation` is the answer's metrics label (counted again when a later hit is served). */
  observe({ auth, body, req, rawBody }: ParsedRequest<Caller>, response: { status: number; body: string; intercepted?: boolean }, operation: string): void {
    if (response.intercepted || response.status !== 200 || response.body.includes('"errors"')) return;
    if (!isCompleteAnswer(this.contexts.get(req)?.reports)) return;
    const key = cacheKeyFor(auth, body, req, this.operations, this.cache);
    if (!key) return;
    void this.cache.set(key, { status: 200, body: response.body }, this.generations.get(req));
    this.known.remember(req, rawBody, { cacheKey: key, operation });
  }
}
