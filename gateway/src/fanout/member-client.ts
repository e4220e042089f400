import type { Agent } from 'undici';
import { createMemberAgent, DEFAULT_MEMBER_POOLS, type MemberPoolOptions } from './member-pools';
import { MemberResponseHandler, type RawAnswer } from './member-response-handler';

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

/** Extra request headers as name, value, name, value (undici's flat form). */
export type HeaderList = readonly string[];

/** Where a member URL points, split once for undici's dispatcher. */
interface Target {
  origin: string;
  path: string;
}

/** Every member call carries these. */
const BASE_HEADERS: HeaderList = ['content-type', 'application/json', 'accept', 'application/graphql-response+json, application/json'];
/** Member URLs whose origin and path are kept (a registry's worth; the map starts over past it). */
const MAX_TARGETS = 10_000;

/**
 * HTTP transport to member subgraphs: keep-alive connection pools (undici), a deadline per call,
 * a cap on the answer's size, and validation that the answer is a GraphQL response. It knows
 * nothing of the fan-out: it posts bytes and returns a checked body or a reason.
 *
 * A call goes straight to undici's dispatcher with one small handler (`MemberResponseHandler`):
 * the URL is split once per member, the body goes out as the bytes it was built as, and the
 * answer is gathered without a response stream.
 */
export class MemberClient {
  private readonly agent: Agent;
  private readonly targets = new Map<string, Target>();

  constructor(private readonly opts: MemberClientOptions) {
    this.agent = createMemberAgent({ ...DEFAULT_MEMBER_POOLS, members: () => 1, ...opts.pools });
  }

  /**
   * Posts one body to one member and reads its answer, within `deadlineMs`.
   * @example
   * const result = await client.post(member.url, Buffer.from('{"query":"{ services { id } }"}'), ['x-request-id', 'r1'], 2000);
   * if (result.outcome === 'ok') console.log(result.body.data);
   */
  async post(url: string, body: string | Buffer, headers: HeaderList | Record<string, string>, deadlineMs: number): Promise<MemberCallResult> {
    const started = performance.now();
    const target = this.target(url);
    const raw = await new Promise<RawAnswer>((resolve) => {
      const handler = new MemberResponseHandler(this.opts.maxResponseBytes, deadlineMs, resolve);
      this.agent.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: 'POST',
          headers: headerList(headers),
          body,
          // The deadline is the handler's (a precise timer). undici runs its own header and body
          // timeouts on coarse timers (about ±0.5 s), which cut members off before their deadline:
          // they only back the deadline up.
          headersTimeout: deadlineMs + 1000,
          bodyTimeout: deadlineMs + 1000,
        },
        handler,
      );
    });
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    switch (raw.kind) {
      case 'timeout':
        return { outcome: 'timeout', reason: `no answer within ${deadlineMs} ms`, durationMs };
      case 'failed':
        return { outcome: 'error', reason: raw.code ? `connection failed (${raw.code})` : 'connection failed', durationMs };
      case 'too-large':
        return { outcome: 'error', reason: `answer larger than ${raw.maxBytes} bytes`, durationMs, status: raw.status };
    }
    const status = raw.status;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.body.toString('utf8'));
    } catch {
      return { outcome: 'error', reason: `answer is not JSON (HTTP ${status})`, durationMs, status };
    }
    const shapeProblem = checkShape(parsed);
    if (shapeProblem) return { outcome: 'error', reason: shapeProblem, durationMs, status };
    const checked = parsed as GraphQLResponseBody;
    if (status === 401 && !checked.data && checked.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      return { outcome: 'untrusted', reason: "the member refused this gateway's signed assertion", durationMs, status: 401 };
    }
    if (status >= 500 && !checked.data) return { outcome: 'error', reason: `HTTP ${status}`, durationMs, status };
    return { outcome: 'ok', body: checked, durationMs, bytes: raw.body.length };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private target(url: string): Target {
    let target = this.targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (this.targets.size >= MAX_TARGETS) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}

function headerList(extra: HeaderList | Record<string, string>): string[] {
  const list = [...BASE_HEADERS];
  if (Array.isArray(extra)) {
    for (const item of extra as HeaderList) list.push(item);
  } else {
    for (const [name, value] of Object.entries(extra)) list.push(name, value);
  }
  return list;
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
