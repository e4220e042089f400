import { request, type Dispatcher } from 'undici';
import type { Logger } from '../../../common/logger';
import type { RegistryMember } from '../../../common/registry/registry.schema';

export interface MemberStatus {
  reachable: boolean;
  latencyMs: number | null;
  schemaVersion: string | null;
  checkedAt: Date | null;
  /** The last time the member answered its health check. */
  lastSeen: Date | null;
  /** Whether the member's SDL serves the network contract; null until it was read. */
  compatible: boolean | null;
  problems: string[];
}

const UNKNOWN: MemberStatus = { reachable: false, latencyMs: null, schemaVersion: null, checkedAt: null, lastSeen: null, compatible: null, problems: [] };
const SDL_QUERY = JSON.stringify({ query: '{ _service { sdl } }' });
const MAX_SDL_BYTES = 1_000_000;

/** `http://host/x/graphql` → `http://host/x/health`. */
export function healthUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/health';
  url.search = '';
  return url.toString();
}

/**
 * Periodic health checks of every registered member: reachable, latency, schema version, last
 * seen. Members that join are checked at once.
 */
export class MemberHealth {
  private readonly statuses = new Map<string, MemberStatus>();
  private timer?: NodeJS.Timeout;
  private members: RegistryMember[] = [];

  private rounds = 0;

  constructor(
    private readonly opts: {
      dispatcher: Dispatcher;
      intervalMs: number;
      timeoutMs: number;
      logger: Logger;
      /** Compares a member's SDL with the contract; run when a member joins and every `sdlEvery` rounds. */
      compatibility?: (sdl: string) => Promise<{ compatible: boolean; problems: string[] }>;
      sdlEvery?: number;
    },
  ) {}

  status(memberId: string): MemberStatus {
    return this.statuses.get(memberId) ?? UNKNOWN;
  }

  /** Follows the registry: new members are checked now, removed ones forgotten. */
  track(members: RegistryMember[]): Promise<void> {
    const known = new Set(this.members.map((m) => `${m.id} ${m.url}`));
    this.members = members;
    const ids = new Set(members.map((m) => m.id));
    for (const id of this.statuses.keys()) if (!ids.has(id)) this.statuses.delete(id);
    return Promise.all(members.filter((m) => !known.has(`${m.id} ${m.url}`)).map((m) => this.check(m, true))).then(() => undefined);
  }

  start(): void {
    this.timer = setInterval(() => void this.checkAll(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  checkAll(): Promise<void> {
    const withSdl = this.rounds++ % (this.opts.sdlEvery ?? 6) === 0;
    return Promise.all(this.members.map((m) => this.check(m, withSdl))).then(() => undefined);
  }

  private async check(member: RegistryMember, withSdl = false): Promise<void> {
    const started = performance.now();
    const previous = this.status(member.id);
    try {
      const res = await request(healthUrl(member.url), {
        dispatcher: this.opts.dispatcher,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      const text = await res.body.text();
      if (text.length > 10_000) throw new Error('health answer too large');
      const body = JSON.parse(text) as { schemaVersion?: unknown };
      const now = new Date();
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      let { compatible, problems } = previous;
      if ((withSdl || compatible === null) && this.opts.compatibility && res.statusCode === 200) {
        ({ compatible, problems } = await this.readCompatibility(member));
      }
      this.statuses.set(member.id, {
        reachable: res.statusCode === 200,
        latencyMs,
        schemaVersion: typeof body.schemaVersion === 'string' ? body.schemaVersion.slice(0, 40) : null,
        checkedAt: now,
        lastSeen: res.statusCode === 200 ? now : previous.lastSeen,
        compatible,
        problems,
      });
    } catch (err) {
      if (previous.reachable) this.opts.logger.warn({ member: member.id, err: (err as Error).message }, 'member health check failed');
      this.statuses.set(member.id, { ...previous, reachable: false, latencyMs: null, checkedAt: new Date() });
    }
  }

  private async readCompatibility(member: RegistryMember): Promise<{ compatible: boolean | null; problems: string[] }> {
    try {
      const res = await request(member.url, {
        method: 'POST',
        dispatcher: this.opts.dispatcher,
        headers: { 'content-type': 'application/json' },
        body: SDL_QUERY,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.body.text();
      if (text.length > MAX_SDL_BYTES) return { compatible: false, problems: ['SDL larger than 1 MB'] };
      const sdl = (JSON.parse(text) as { data?: { _service?: { sdl?: unknown } } }).data?._service?.sdl;
      if (typeof sdl !== 'string') return { compatible: false, problems: ['member does not serve _service { sdl }'] };
      const result = await this.opts.compatibility!(sdl);
      if (!result.compatible) this.opts.logger.warn({ member: member.id, problems: result.problems.slice(0, 5) }, 'member schema is incompatible with the network contract');
      return result;
    } catch (err) {
      this.opts.logger.warn({ member: member.id, err: (err as Error).message }, 'could not read member SDL');
      return { compatible: null, problems: [] };
    }
  }
}
