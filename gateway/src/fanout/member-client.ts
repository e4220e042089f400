import type { Agent } from 'undici';
import { createMemberAgent, DEFAULT_MEMBER_POOLS, type MemberPoolOptions } from './member-pools';
import { MemberResponseHandler } from './member-response-handler';

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

/** Every member call carries these, first. */
export const BASE_HEADERS: HeaderList = ['content-type', 'application/json', 'accept', 'application/graphql-response+json, application/json'];
/** Member URLs whose origin and path are kept (a registry's worth; the map starts over past it). */
const MAX_TARGETS = 10_000;

/** Called once with how a call ended (`MemberClient.send`). */
export type MemberCallDone = (result: MemberCallResult) => void;

/**
 * HTTP transport to member subgraphs: keep-alive connection pools (undici), a deadline per call,
 * a cap on the answer's size, and validation that the answer is a GraphQL response. It knows
 * nothing of the fan-out: it posts bytes and returns a checked body or a reason.
 *
 * A call goes straight to undici's dispatcher with one small handler (`MemberResponseHandler`):
 * the URL is split once per member, the body goes out as the bytes it was built as, and the
 * answer is gathered without a response stream and turned into the result as it completes.
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
  post(url: string, body: string | Buffer, headers: HeaderList | Record<string, string>, deadlineMs: number): Promise<MemberCallResult> {
    return new Promise((resolve) => this.send(url, body, withBaseHeaders(headers), deadlineMs, resolve));
  }

  /**
   * `post` for the fan-out's hot path, without a promise of its own: `done` gets the result once.
   * `headers` is the complete list, `BASE_HEADERS` first (the caller builds it once per call).
   * @example
   * client.send(member.url, body.bytes, [...BASE_HEADERS, 'x-request-id', 'r1'], 2000, (result) => resolve(result));
   */
  send(url: string, body: string | Buffer, headers: string[], deadlineMs: number, done: MemberCallDone): void {
    const target = this.target(url);
    this.agent.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers,
        body,
        // The deadline is the handler's (a precise timer). undici runs its own header and body
        // timeouts on coarse timers (about ±0.5 s), which cut members off before their deadline:
        // they only back the deadline up.
        headersTimeout: deadlineMs + 1000,
        bodyTimeout: deadlineMs + 1000,
      },
      new MemberResponseHandler(this.opts.maxResponseBytes, deadlineMs, done),
    );
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

/** `BASE_HEADERS` followed by `extra` (a flat list or an object), as one flat list. */
function withBaseHeaders(extra: HeaderList | Record<string, string>): string[] {
  const list = [...BASE_HEADERS];
  if (Array.isArray(extra)) {
    for (const item of extra as HeaderList) list.push(item);
  } else {
    for (const [name, value] of Object.entries(extra)) list.push(name, value);
  }
  return list;
}
