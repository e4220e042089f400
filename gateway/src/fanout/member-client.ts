import { request, type Agent } from 'undici';
import { createMemberAgent, DEFAULT_MEMBER_POOLS, type MemberPoolOptions } from './member-pools';
import { deadline } from './deadline';
import { BodyTooLargeError, readCappedBody } from '../http/read-capped-body';

/** How one call to a member ended (`untrusted`: the member refused this gateway's assertion). */
export type MemberOutcome = 'ok' | 'timeout' | 'error' | 'circuit_open' | 'skipped' | 'overloaded' | 'untrusted';

export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export type MemberCallResult =
  | { outcome: 'ok'; body: GraphQLResponseBody; durationMs: number; bytes: number }
  | { outcome: 'timeout' | 'error' | 'circuit_open' | 'overloaded' | 'untrusted'; reason: string; durationMs: number; status?: number };

export interface MemberClientOptions {
  /** Answers larger than this are cut off and reported; nothing unbounded is buffered. */
  maxResponseBytes: number;
  /** Keep-alive pools: per member, in total over all members (default: 1 member, 32 connections). */
  pools?: Partial<MemberPoolOptions>;
}

/**
 * HTTP transport to member subgraphs: keep-alive connection pools (undici), a deadline per call,
 * a cap on the answer's size, and validation that the answer is a GraphQL response. It knows
 * nothing of the fan-out: it posts bytes and returns a checked body or a reason.
 */
export class MemberClient {
  private readonly agent: Agent;

  constructor(private readonly opts: MemberClientOptions) {
    this.agent = createMemberAgent({ ...DEFAULT_MEMBER_POOLS, members: () => 1, ...opts.pools });
  }

  async post(url: string, body: string, headers: Record<string, string>, deadlineMs: number): Promise<MemberCallResult> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const timer = deadline(deadlineMs);
    const signal = timer.signal;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body,
        signal,
        // The deadline is the signal's (a precise timer). undici runs its own header and body
        // timeouts on coarse timers (about ±0.5 s), which cut members off before their deadline:
        // they only back the signal up.
        headersTimeout: deadlineMs + 1000,
        bodyTimeout: deadlineMs + 1000,
      });
      let raw: Buffer;
      try {
        raw = await readCappedBody(res.body, this.opts.maxResponseBytes);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return { outcome: 'error', reason: err.message, durationMs: elapsed(), status: res.statusCode };
        throw err;
      }
      const bytes = raw.length;
      const text = raw.toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { outcome: 'error', reason: `answer is not JSON (HTTP ${res.statusCode})`, durationMs: elapsed(), status: res.statusCode };
      }
      const shapeProblem = checkShape(parsed);
      if (shapeProblem) return { outcome: 'error', reason: shapeProblem, durationMs: elapsed(), status: res.statusCode };
      const checked = parsed as GraphQLResponseBody;
      if (res.statusCode === 401 && !checked.data && checked.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
        return { outcome: 'untrusted', reason: "the member refused this gateway's signed assertion", durationMs: elapsed(), status: 401 };
      }
      if (res.statusCode >= 500 && !checked.data) {
        return { outcome: 'error', reason: `HTTP ${res.statusCode}`, durationMs: elapsed(), status: res.statusCode };
      }
      return { outcome: 'ok', body: checked, durationMs: elapsed(), bytes };
    } catch (err) {
      const e = err as Error & { code?: string };
      if (signal.aborted || e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
        return { outcome: 'timeout', reason: `no answer within ${deadlineMs} ms`, durationMs: elapsed() };
      }
      return { outcome: 'error', reason: e.code ? `connection failed (${e.code})` : 'connection failed', durationMs: elapsed() };
    } finally {
      timer.clear();
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A GraphQL response is an object with `data` (object or null) and/or `errors` (array). */
export function checkShape(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'answer is not a GraphQL response object';
  const b = body as Record<string, unknown>;
  if (!('data' in b) && !('errors' in b)) return 'answer has neither data nor errors';
  if ('data' in b && b.data !== null && (typeof b.data !== 'object' || Array.isArray(b.data))) return 'answer data is not an object';
  if ('errors' in b && b.errors !== undefined) {
    if (!Array.isArray(b.errors)) return 'answer errors is not a list';
    for (const e of b.errors) if (!e || typeof e !== 'object' || typeof (e as { message?: unknown }).message !== 'string') return 'answer has a malformed error';
  }
  return undefined;
}
