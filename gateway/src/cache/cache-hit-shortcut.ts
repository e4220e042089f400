import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../common/caller';
import type { Refusal, ShortcutAnswer } from '../../../common/http/apollo-handler';
import type { CachingHeaders } from '../../../common/http/conditional';
import { isAnonymousRequest } from '../auth/authenticate';
import type { GatewayMetrics } from '../observability/metrics';
import type { HttpResponseCache, KnownAnswer } from './http-response-cache';
import { NO_STORE, publicAnswerHeaders } from './public-answer-caching';
import type { StoredAnswer } from './response-cache';

const HIT_HEADERS: Record<string, string> = Object.freeze({ 'x-infrared-cache': 'hit' }) as Record<string, string>;

/**
 * The cheap path of a response-cache hit, for createApolloHandler's `shortcut`: an anonymous
 * request (no token, no proof: `authenticate` would not look further) whose exact bytes were
 * answered and stored before is answered from the stored bytes before its body is parsed. What it
 * keeps of the ordinary path: the caller's rate limit is charged (a refusal is the same 429),
 * CSRF prevention and content negotiation (the handler's, before this runs), the
 * persisted-operation gate (only requests that passed it are remembered, and it depends on the
 * same bytes), the generation and TTL of the answer (asked of the response cache each time), and
 * the metrics of a hit. What it skips: the JSON parse, the text normalization, the query/mutation
 * check, the key's hash, and the GET caching headers' work (once per stored answer).
 *
 * With Redis the answer is looked up first and the limit charged after, one after the other as on
 * the ordinary path: charging while the lookup runs would charge a miss twice (it then takes the
 * ordinary path, which charges), and a miss must not cost more than before.
 */
export function cacheHitShortcut(parts: {
  httpCache: HttpResponseCache;
  admit: (req: IncomingMessage, caller: Caller) => Refusal | undefined | Promise<Refusal | undefined>;
  metrics: GatewayMetrics;
}): (req: IncomingMessage, rawBody: Buffer) => ShortcutAnswer | undefined | Promise<ShortcutAnswer | undefined> {
  const { httpCache, admit, metrics } = parts;
  const hits = metrics.cache.labels('hit');
  /** Each operation label's request counter and latency histogram, bound once. */
  const bound = new Map<string, { requests: { inc(): void }; seconds: { observe(value: number): void } }>();
  const instrumentsOf = (operation: string) => {
    let instruments = bound.get(operation);
    if (!instruments) {
      instruments = { requests: metrics.requests.labels(operation, '200'), seconds: metrics.requestSeconds.labels(operation) };
      bound.set(operation, instruments);
    }
    return instruments;
  };

  const serve = (req: IncomingMessage, { known, answer }: KnownAnswer, startedAt: number): ShortcutAnswer | Promise<ShortcutAnswer> => {
    const refusal = admit(req, ANONYMOUS);
    if (refusal instanceof Promise) return refusal.then((late) => (late ? { refusal: late } : hit(req, known.operation, answer, startedAt)));
    return refusal ? { refusal } : hit(req, known.operation, answer, startedAt);
  };
  const hit = (req: IncomingMessage, operation: string, answer: StoredAnswer, startedAt: number): ShortcutAnswer => {
    hits.inc();
    const instruments = instrumentsOf(operation);
    instruments.requests.inc();
    instruments.seconds.observe((performance.now() - startedAt) / 1000);
    return { status: answer.status, bytes: answer.bytes, contentLength: answer.contentLength, headers: HIT_HEADERS, caching: req.method === 'GET' ? getCaching(answer) : undefined };
  };

  return (req, rawBody) => {
    if (!isAnonymousRequest(req)) return undefined;
    const startedAt = performance.now();
    const found = httpCache.answerKnown(req, rawBody);
    if (found instanceof Promise) return found.then((known) => known && serve(req, known, startedAt));
    return found && serve(req, found, startedAt);
  };
}

/** A GET hit's caching headers (PublicAnswerCaching's for an anonymous, complete answer), worked out once per stored answer. */
function getCaching(answer: StoredAnswer): CachingHeaders {
  const memo = answer.memo as { getCaching?: CachingHeaders };
  memo.getCaching ??= answer.status === 200 ? publicAnswerHeaders(answer.body) : { 'cache-control': NO_STORE };
  return memo.getCaching;
}
