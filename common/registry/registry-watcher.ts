import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logger';
import { parseRegistry } from './load-registry';
import type { Registry } from './registry.schema';

/**
 * Holds the registry in force. It watches the file (and polls, since editors replace files and
 * some filesystems send no events); a valid edit takes effect at once, an invalid one is logged
 * and ignored, so the last good registry stays in force. Requests in flight keep the snapshot they
 * started with.
 */
export class RegistryWatcher {
  private current: Registry;
  private lastText: string;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((registry: Registry) => void)[] = [];

  private constructor(private readonly file: string, initialText: string, initial: Registry, private readonly logger: Logger) {
    this.current = initial;
    this.lastText = initialText;
  }

  /** Loads the file (a bad file at start-up is an error) and starts watching it. */
  static async start(file: string, logger: Logger, pollMs = 2_000): Promise<RegistryWatcher> {
    const text = await readFile(file, 'utf8');
    const watcher = new RegistryWatcher(file, text, parseRegistry(text, file), logger);
    watcher.watch(pollMs);
    return watcher;
  }

  get registry(): Registry {
    return this.current;
  }

  onChange(listener: (registry: Registry) => void): void {
    this.listeners.push(listener);
  }

  /** Re-reads the file now. Returns true when a new registry took effect. */
  async reload(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      this.logger.error({ file: this.file, err: (err as Error).message }, 'registry file unreadable; keeping the last good registry');
      return false;
    }
    if (text === this.lastText) return false;
    this.lastText = text;
    try {
      const next = parseRegistry(text, this.file);
      this.current = next;
      this.logger.info({ members: next.members.map((m) => m.id) }, 'registry reloaded');
      for (const listener of this.listeners) listener(next);
      return true;
    } catch (err) {
      this.logger.error({ file: this.file, problems: (err as { problems?: string[] }).problems ?? [(err as Error).message] }, 'invalid registry edit ignored; the last good registry stays in force');
      return false;
    }
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
