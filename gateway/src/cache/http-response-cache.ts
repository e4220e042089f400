import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { ParsedRequest } from '../../../common/http/apollo-handler';
import type { GatewayContext } from '../context';
import type { GatewayMetrics } from '../observability/metrics';
import { cacheKeyFor, OperationKinds } from './cacheable';
import { isCompleteAnswer } from './complete-answer';
import type { ResponseCache } from './response-cache';

/**
 * The response cache at the HTTP edge: a cacheable request is answered from the cache before
 * GraphQL runs (`intercept`), and a complete 200 answer is stored after (`observe`). Answers from
 * an older cache generation, or with member errors, drops, cuts or unavailable members, are not stored.
 * Mutations invalidate in invalidateOnMutationPlugin, before their answer is sent.
 */
export class HttpResponseCache {
  /** The cache generation each cacheable request started in. */
  private readonly generations = new WeakMap<object, number>();
  /** Each request's context, so the cache can tell an incomplete answer. */
  private readonly contexts = new WeakMap<object, GatewayContext>();
  private readonly operations = new OperationKinds();

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
    return hit ? { ...hit, headers: { 'x-infrared-cache': 'hit' } } : undefined;
  }

  observe({ auth, body, req }: ParsedRequest<Caller>, response: { status: number; body: string; intercepted?: boolean }): void {
    if (response.intercepted || response.status !== 200 || response.body.includes('"errors"')) return;
    if (!isCompleteAnswer(this.contexts.get(req)?.reports)) return;
    const key = cacheKeyFor(auth, body, req, this.operations, this.cache);
    if (key) void this.cache.set(key, { status: 200, body: response.body }, this.generations.get(req));
  }
}
