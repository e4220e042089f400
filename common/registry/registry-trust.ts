import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Counter, Gauge, type Registry as MetricsRegistry } from 'prom-client';
import type { Logger } from '../logger';
import { checkTransition, readRegistryVersion, type RegistryVersion, type TransitionReport } from './signed-registry';

/** How a service decides which registry version is in force. */
export interface RegistryTrustOptions {
  /** `on` (production default): a new version needs the members' signatures. `off`: development and tests only. */
  signatures: 'on' | 'off';
  /** `sha256:…` of the first version to trust, when no accepted version is stored yet. */
  pin?: string;
  /** Where the last accepted version is kept across restarts. */
  stateFile: string;
  /** Production refuses to start without a pin or a stored version; development trusts on first use. */
  production: boolean;
  logger: Logger;
}

/** What `/ready` shows under `registry`. */
export interface RegistryTrustStatus {
  signatures: 'on' | 'off';
  accepted: { version: number; hash: string; since: string };
  lastRefusal?: { at: string; version?: number; hash?: string; reasons: string[] };
}

export class RegistryTrustError extends Error {
  readonly code = 'REGISTRY_NOT_TRUSTED';
}

interface StoredState {
  hash: string;
  version: number;
  acceptedAt: string;
  text: string;
}

type RefusalReason = NonNullable<TransitionReport['reason']> | 'invalid';

/** The stored last accepted version, or undefined when there is none (a corrupt one is an error: it is never silently replaced). */
export function readAcceptedState(stateFile: string): { version: RegistryVersion; acceptedAt: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(stateFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryTrustError(`cannot read the accepted registry state ${stateFile}: ${(err as Error).message}`);
  }
  try {
    const state = JSON.parse(raw) as StoredState;
    const version = readRegistryVersion(state.text, stateFile);
    if (version.hash !== state.hash) throw new Error(`its text hashes to ${version.hash}, not ${state.hash}`);
    return { version, acceptedAt: state.acceptedAt };
  } catch (err) {
    throw new RegistryTrustError(
      `the accepted registry state ${stateFile} is corrupt (${(err as Error).message}); restore it from a backup, or remove it and pin the version to trust with INFRARED_REGISTRY_PIN`,
    );
  }
}

/**
 * Keeps the registry version in force and decides whether a new one takes effect: only when the
 * members of the accepted version signed it (signed-registry.ts). The accepted version is stored
 * in `stateFile`, so a restart neither forgets it nor falls back to whatever the file now says; a
 * refused version is logged, counted and shown in `/ready`, and the accepted one stays in force.
 */
export class RegistryTrust {
  private acceptedAt = new Date();
  private lastRefusal?: RegistryTrustStatus['lastRefusal'];
  private readonly refusals = new Counter({
    name: 'infrared_registry_refusals_total',
    help: 'Registry versions refused (invalid, not newer, under-signed, an own entry or a new member unsigned)',
    labelNames: ['reason'],
    registers: [],
  });
  private readonly acceptedVersion = new Gauge({ name: 'infrared_registry_accepted_version', help: 'The version number of the registry in force', registers: [] });

  private constructor(
    private accepted: RegistryVersion,
    private readonly opts: RegistryTrustOptions,
  ) {
    this.acceptedVersion.set(accepted.registry.version);
  }

  /**
   * The version in force at start-up: the stored one (then the file is considered as a new
   * version), else the file if it matches the pin, else (development only) the file, trusted on
   * first use. Throws when production has neither a pin nor a stored version.
   */
  static async open(file: string, text: string, opts: RegistryTrustOptions): Promise<RegistryTrust> {
    const onFile = readRegistryVersion(text, file);
    if (opts.signatures === 'off') {
      opts.logger.warn({ file }, 'registry signatures are OFF (development/tests only): any valid edit of the registry file takes effect');
      return new RegistryTrust(onFile, opts);
    }
    const stored = readAcceptedState(opts.stateFile);
    if (stored) {
      const trust = new RegistryTrust(stored.version, opts);
      trust.acceptedAt = new Date(stored.acceptedAt);
      await trust.consider(onFile);
      return trust;
    }
    if (opts.pin) {
      if (opts.pin !== onFile.hash) throw new RegistryTrustError(`${file} is ${onFile.hash}, not the pinned first version ${opts.pin} (INFRARED_REGISTRY_PIN)`);
      opts.logger.info({ hash: onFile.hash, version: onFile.registry.version }, 'registry: the pinned first version is accepted');
    } else if (opts.production) {
      throw new RegistryTrustError(
        `no accepted registry yet and no pin: check ${file} with the other members (\`infrared registry status\`), then set INFRARED_REGISTRY_PIN=${onFile.hash} (it is this file's hash)`,
      );
    } else {
      opts.logger.warn({ hash: onFile.hash, file }, 'REGISTRY TRUSTED ON FIRST USE (development mode, no INFRARED_REGISTRY_PIN): whoever wrote this file chose the keys this service trusts');
    }
    const trust = new RegistryTrust(onFile, opts);
    trust.persist();
    return trust;
  }

  get version(): RegistryVersion {
    return this.accepted;
  }

  /** Registers this trust's metrics with a service's prom-client registry. */
  registerMetrics(registry: MetricsRegistry): void {
    registry.registerMetric(this.refusals);
    registry.registerMetric(this.acceptedVersion);
  }

  status(): RegistryTrustStatus {
    return {
      signatures: this.opts.signatures,
      accepted: { version: this.accepted.registry.version, hash: this.accepted.hash, since: this.acceptedAt.toISOString() },
      ...(this.lastRefusal ? { lastRefusal: this.lastRefusal } : {}),
    };
  }

  /** Records that a registry text could not be read as a registry at all. */
  refuseInvalid(problems: string[]): void {
    this.refuse('invalid', problems);
  }

  /** Considers a new version; returns true when it took effect. */
  async consider(candidate: RegistryVersion): Promise<boolean> {
    if (candidate.hash === this.accepted.hash) return false;
    if (this.opts.signatures === 'off') return this.accept(candidate);
    const report = await checkTransition(this.accepted, candidate);
    if (!report.acceptable) {
      this.refuse(report.reason ?? 'under_signed', report.problems, candidate, report);
      return false;
    }
    this.opts.logger.info({ from: report.from, to: report.to, signers: report.signers, needed: report.needed }, 'registry: a new version signed by the members takes effect');
    return this.accept(candidate);
  }

  private accept(candidate: RegistryVersion): boolean {
    this.accepted = candidate;
    this.acceptedAt = new Date();
    this.acceptedVersion.set(candidate.registry.version);
    if (this.opts.signatures === 'on') this.persist();
    return true;
  }

  private refuse(reason: RefusalReason, reasons: string[], candidate?: RegistryVersion, report?: TransitionReport): void {
    this.refusals.inc({ reason });
    this.lastRefusal = { at: new Date().toISOString(), version: candidate?.registry.version, hash: candidate?.hash, reasons };
    this.opts.logger.error(
      {
        reason,
        reasons,
        candidate: candidate && { version: candidate.registry.version, hash: candidate.hash },
        accepted: { version: this.accepted.registry.version, hash: this.accepted.hash },
        signatures: report?.signatures,
      },
      'registry version REFUSED; the accepted version stays in force',
    );
  }

  /** Writes the accepted version atomically (a temporary file, then a rename). */
  private persist(): void {
    const state: StoredState = { hash: this.accepted.hash, version: this.accepted.registry.version, acceptedAt: this.acceptedAt.toISOString(), text: this.accepted.text };
    try {
      mkdirSync(dirname(this.opts.stateFile), { recursive: true });
      const tmp = `${this.opts.stateFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.opts.stateFile);
    } catch (err) {
      this.opts.logger.error({ stateFile: this.opts.stateFile, err: (err as Error).message }, 'cannot store the accepted registry: a restart will need INFRARED_REGISTRY_PIN again');
    }
  }
}
