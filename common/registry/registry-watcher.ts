import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logger';
import type { Registry } from './registry.schema';
import { RegistryTrust, type RegistryTrustOptions, type RegistryTrustStatus } from './registry-trust';
import { readRegistryVersion } from './signed-registry';

/** The trust settings a service passes; the state file defaults to `<registry file>.accepted.json`. */
export type RegistryWatchOptions = Omit<RegistryTrustOptions, 'logger' | 'stateFile'> & { stateFile?: string };

/**
 * Holds the registry in force. It watches the file (and polls, since editors replace files and
 * some filesystems send no events); a valid edit takes effect at once, an invalid one is logged
 * and ignored, so the last good registry stays in force. A valid edit takes effect only when the
 * members signed it (registry-trust.ts), unless signatures are off (development, tests). Requests
 * in flight keep the snapshot they started with.
 */
export class RegistryWatcher {
  private lastText: string;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((registry: Registry) => void)[] = [];

  private constructor(
    private readonly file: string,
    initialText: string,
    readonly trust: RegistryTrust,
    private readonly logger: Logger,
  ) {
    this.lastText = initialText;
  }

  /** Loads the file (a bad or untrusted file at start-up is an error) and starts watching it. */
  static async start(file: string, logger: Logger, pollMs = 2_000, trust: RegistryWatchOptions = { signatures: 'on', production: true }): Promise<RegistryWatcher> {
    const text = await readFile(file, 'utf8');
    const accepted = await RegistryTrust.open(file, text, { ...trust, stateFile: trust.stateFile ?? `${file}.accepted.json`, logger });
    const watcher = new RegistryWatcher(file, text, accepted, logger);
    watcher.watch(pollMs);
    return watcher;
  }

  get registry(): Registry {
    return this.trust.version.registry;
  }

  /** What `/ready` shows: the accepted version and the last refusal. */
  status(): RegistryTrustStatus {
    return this.trust.status();
  }

  onChange(listener: (registry: Registry) => void): void {
    this.listeners.push(listener);
  }

  private pending: Promise<unknown> = Promise.resolve();

  /** Re-reads the file now. Returns true when a new registry took effect. One at a time, in order. */
  reload(): Promise<boolean> {
    const run = this.pending.then(() => this.reloadNow());
    this.pending = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      this.logger.error({ file: this.file, err: (err as Error).message }, 'registry file unreadable; keeping the last good registry');
      return false;
    }
    if (text === this.lastText) return false;
    this.lastText = text;
    let candidate;
    try {
      candidate = readRegistryVersion(text, this.file);
    } catch (err) {
      const problems = (err as { problems?: string[] }).problems ?? [(err as Error).message];
      this.trust.refuseInvalid(problems);
      this.logger.error({ file: this.file, problems }, 'invalid registry edit ignored; the last good registry stays in force');
      return false;
    }
    if (!(await this.trust.consider(candidate))) return false;
    const next = candidate.registry;
    this.logger.info({ members: next.members.map((m) => m.id), version: next.version }, 'registry reloaded');
    for (const listener of this.listeners) listener(next);
    return true;
  }

  private watch(pollMs: number): void {
    const trigger = () => void this.reload();
    try {
      const name = basename(this.file);
      this.watcher = watch(dirname(this.file), (_event, changed) => {
        if (!changed || changed === name) trigger();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      /* polling alone */
    }
    this.timer = setInterval(trigger, pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }
}
