import type { Dispatcher } from 'undici';
import type { PrivateJwk } from '../../../common/auth/keys';
import type { Logger } from '../../../common/logger';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import { BodyTooLargeError } from '../http/read-capped-body';
import { MAX_SDL_BYTES, probeReady, readMemberSdl, siblingUrl, type GatewayTrust } from './member-probe';

/**
 * The gateway's one-word view of a member:
 * - `ok`: it answers, its database answers, and it accepts this gateway's assertions;
 * - `unavailable`: it does not answer, or its own `/ready` says its database is down or hangs;
 * - `untrusted`: it answers but refuses (or cannot verify) this gateway's assertions, so every
 *   caller would get UNAUTHENTICATED or PUBLIC data only from it;
 * - `incompatible`: its schema does not serve the network contract;
 * - `unknown`: not checked yet.
 */
export type MemberState = 'ok' | 'unavailable' | 'untrusted' | 'incompatible' | 'unknown';
export const MEMBER_STATES: readonly MemberState[] = ['ok', 'unavailable', 'untrusted', 'incompatible', 'unknown'];

export interface MemberStatus {
  state: MemberState;
  /** The member answered its last health check (any HTTP status). */
  reachable: boolean;
  /** Its own `/ready`: whether its database answers; null until checked. */
  ready: boolean | null;
  /** Whether it accepts this gateway's signed assertions; null when unknown (no gateway key, or not said). */
  trusted: boolean | null;
  latencyMs: number | null;
  schemaVersion: string | null;
  checkedAt: Date | null;
  /** The last time the member answered its health check and was ready. */
  lastSeen: Date | null;
  /** Whether the member's SDL serves the network contract; null until it was read. */
  compatible: boolean | null;
  /**
   * Whether the member said (its last `/ready` answer) that it verifies batch assertions (one
   * gateway signature per fan-out, a Merkle proof per call); only then are they sent to it.
   */
  batchAssertions: boolean;
  problems: string[];
}

const UNKNOWN: MemberStatus = {
  state: 'unknown',
  reachable: false,
  ready: null,
  trusted: null,
  latencyMs: null,
  schemaVersion: null,
  checkedAt: null,
  lastSeen: null,
  compatible: null,
  batchAssertions: false,
  problems: [],
};

/** `http://host/x/graphql` → `http://host/x/health` (liveness only; the gateway itself asks `/ready`). */
export function healthUrl(graphqlUrl: string): string {
  return siblingUrl(graphqlUrl, 'health');
}

/** The state a status adds up to; the worst finding wins. */
export function memberState(s: Omit<MemberStatus, 'state'>): MemberState {
  if (s.compatible === false) return 'incompatible';
  if (!s.checkedAt) return 'unknown';
  if (!s.reachable || s.ready === false) return 'unavailable';
  if (s.trusted === false) return 'untrusted';
  return 'ok';
}

const TRUST_PROBLEMS: Record<Exclude<GatewayTrust, 'trusted'>, string> = {
  refused: "the member refuses this gateway's signed assertions (check its trusted gateways and the gateway's key in the registry)",
  unverified: "the member cannot verify this gateway's assertions (it runs without a registry): callers get PUBLIC data only",
};

export interface MemberHealthOptions {
  dispatcher: Dispatcher;
  intervalMs: number;
  timeoutMs: number;
  logger: Logger;
  /** Signs the trust probe sent with each check; without it trust is not checked. */
  gatewayId?: string;
  signingKey?: PrivateJwk;
  /** Compares a member's SDL with the contract; run when a member joins and every `sdlEvery` rounds. */
  compatibility?: (sdl: string) => Promise<{ compatible: boolean; problems: string[] }>;
  sdlEvery?: number;
  /** Called when a member's state changes (metrics). */
  onStateChange?: (member: string, state: MemberState, previous: MemberState) => void;
  /** Called when a member left the registry. */
  onForget?: (member: string) => void;
}

/**
 * Periodic health checks of every registered member, honest about what callers will get: the
 * member's own `/ready` (its database), whether it accepts this gateway's assertions, its schema,
 * latency and last sighting. Members that join are checked at once. A state change is logged once,
 * naming the member.
 */
export class MemberHealth {
  private readonly statuses = new Map<string, MemberStatus>();
  private timer?: NodeJS.Timeout;
  private members: RegistryMember[] = [];
  private rounds = 0;
  /** One check per member at a time: a slow member is not asked again while it is being asked. */
  private readonly checking = new Set<string>();

  constructor(private readonly opts: MemberHealthOptions) {}

  status(memberId: string): MemberStatus {
    return this.statuses.get(memberId) ?? UNKNOWN;
  }

  /**
   * A member refused a batch assertion although its last `/ready` named the batch form (it was
   * downgraded since): until its next check says otherwise, it gets the classic form. Logged
   * once per such change. Nothing is probed now: a member that names the form and keeps refusing
   * it costs one refused call per health interval, not a probe per call.
   */
  batchRefused(memberId: string): void {
    const status = this.statuses.get(memberId);
    if (!status?.batchAssertions) return;
    this.statuses.set(memberId, { ...status, batchAssertions: false });
    this.opts.logger.warn({ member: memberId }, 'member refused a batch assertion it had named in /ready: classic assertions until its next health check');
  }

  /** Follows the registry: new members are checked now, removed ones forgotten. */
  track(members: RegistryMember[]): Promise<void> {
    const known = new Set(this.members.map((m) => `${m.id} ${m.url}`));
    this.members = members;
    const ids = new Set(members.map((m) => m.id));
    for (const id of this.statuses.keys()) {
      if (ids.has(id)) continue;
      this.statuses.delete(id);
      this.opts.onForget?.(id);
    }
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
    if (this.checking.has(member.id)) return;
    this.checking.add(member.id);
    try {
      await this.checkOnce(member, withSdl);
    } finally {
      this.checking.delete(member.id);
    }
  }

  private async checkOnce(member: RegistryMember, withSdl: boolean): Promise<void> {
    const previous = this.status(member.id);
    let next: Omit<MemberStatus, 'state'>;
    try {
      const probe = await probeReady(member, { dispatcher: this.opts.dispatcher, timeoutMs: this.opts.timeoutMs, gatewayId: this.opts.gatewayId ?? 'gateway', signingKey: this.opts.signingKey });
      const now = new Date();
      let { compatible, problems } = previous;
      if ((withSdl || compatible === null) && this.opts.compatibility && probe.ready) {
        ({ compatible, problems } = await this.readCompatibility(member));
      }
      const trustProblem = probe.trust && probe.trust !== 'trusted' ? [TRUST_PROBLEMS[probe.trust]] : [];
      next = {
        reachable: true,
        ready: probe.ready,
        trusted: probe.trust === null ? null : probe.trust === 'trusted',
        latencyMs: probe.latencyMs,
        schemaVersion: probe.schemaVersion ?? previous.schemaVersion,
        checkedAt: now,
        lastSeen: probe.ready ? now : previous.lastSeen,
        compatible,
        batchAssertions: probe.batchAssertions,
        problems: [...(probe.ready ? [] : ['the member says its database is unavailable (/ready 503)']), ...trustProblem, ...(compatible === false ? problems : [])],
      };
    } catch (err) {
      const reason = err instanceof BodyTooLargeError ? `/ready ${err.message}` : (err as Error).name === 'TimeoutError' ? `no /ready answer within ${this.opts.timeoutMs} ms` : (err as Error).message;
      next = { ...previous, reachable: false, ready: null, latencyMs: null, checkedAt: new Date(), problems: [reason.slice(0, 200), ...(previous.compatible === false ? previous.problems : [])] };
    }
    // the member may have left (or moved) while it was being checked
    if (!this.members.some((m) => m.id === member.id && m.url === member.url)) return;
    const status = { ...next, state: memberState(next) };
    this.statuses.set(member.id, status);
    if (status.state !== previous.state) this.changed(member.id, status, previous.state);
  }

  private changed(member: string, status: MemberStatus, previous: MemberState): void {
    const log = { member, state: status.state, previous, problems: status.problems.slice(0, 5) };
    if (status.state === 'ok') this.opts.logger.info(log, 'member health changed');
    else if (status.state !== 'unknown') this.opts.logger.warn(log, 'member health changed');
    this.opts.onStateChange?.(member, status.state, previous);
  }

  private async readCompatibility(member: RegistryMember): Promise<{ compatible: boolean | null; problems: string[] }> {
    try {
      const sdl = await readMemberSdl(member, { dispatcher: this.opts.dispatcher, timeoutMs: this.opts.timeoutMs });
      const result = await this.opts.compatibility!(sdl);
      if (!result.compatible) this.opts.logger.warn({ member: member.id, problems: result.problems.slice(0, 5) }, 'member schema is incompatible with the network contract');
      return result;
    } catch (err) {
      if (err instanceof BodyTooLargeError) return { compatible: false, problems: [`SDL larger than ${MAX_SDL_BYTES} bytes`] };
      this.opts.logger.warn({ member: member.id, err: (err as Error).message }, 'could not read member SDL');
      return { compatible: null, problems: [] };
    }
  }
}
