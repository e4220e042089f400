import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A demo member running as its own `infrared member start` process. */
export interface MemberProcess {
  memberId: string;
  url: string;
  port: number;
  pid: number;
  /** SIGTERM (after SIGCONT, in case the operator froze it), then SIGKILL if it does not exit within 15 s. */
  stop(): Promise<void>;
}

/** The built CLI: beside this file when compiled; from the TypeScript sources (tests), the copy in dist/. */
function cliPath(): string {
  const candidates = [join(__dirname, '../cli/infrared.js'), join(__dirname, '../../dist/scripts/cli/infrared.js')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error('the built CLI (dist/scripts/cli/infrared.js) is missing: run `npm run build` first');
  return found;
}

const running = new Set<MemberProcess & { kill(): void }>();
// A demo that exits without stopping (an uncaught error) must not leave members behind.
process.once('exit', () => {
  for (const m of running) m.kill();
});

/**
 * Starts `infrared member start` as a child process and waits until it listens. The child gets
 * its settings as flags and environment, and no shutdown delay (nothing balances load in a demo).
 */
export async function startMemberProcess(opts: {
  memberId: string;
  port: number;
  databaseUrl: string;
  schema: string;
  registryFile: string;
  keyFile: string;
  languages: string[];
  logLevel?: string;
  startTimeoutMs?: number;
  /** More environment for the child (the registry pin and where it stores the accepted version). */
  env?: Record<string, string>;
}): Promise<MemberProcess> {
  const args = [
    cliPath(),
    'member',
    'start',
    '--member',
    opts.memberId,
    '--port',
    String(opts.port),
    '--host',
    '127.0.0.1',
    '--database-url',
    opts.databaseUrl,
    '--schema',
    opts.schema,
    '--registry',
    opts.registryFile,
    '--key',
    opts.keyFile,
    '--languages',
    opts.languages.join(','),
    // the demo runs in development mode, its members too
    '--dev',
    // the demo hands out unbound tokens (for curl and the dashboard): its members trust the
    // gateway's word; a real member keeps the default, proven (docs/security-model.md)
    '--caller-policy',
    'asserted',
  ];
  const env = { ...process.env, INFRARED_SHUTDOWN_DELAY_MS: '0', INFRARED_SHUTDOWN_TIMEOUT_MS: '5000', LOG_LEVEL: opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn', ...opts.env };
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const m = / listening on (http:\/\/\S+\/graphql)/.exec(line);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`member ${opts.memberId} exited with code ${code} before listening`)));
      timer = setTimeout(() => reject(new Error(`member ${opts.memberId} did not start within ${opts.startTimeoutMs ?? 120_000} ms`)), opts.startTimeoutMs ?? 120_000);
    });
    const member = {
      memberId: opts.memberId,
      url,
      port: Number(new URL(url).port),
      pid: child.pid!,
      kill,
      async stop() {
        running.delete(member);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref())]);
        if (!done) {
          kill();
          await exited;
        }
      },
    };
    running.add(member);
    return member;
  } catch (err) {
    kill();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
