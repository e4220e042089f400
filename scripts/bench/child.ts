import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Child<T> {
  ready: T;
  pid: number;
  /** Peak resident memory of the process so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts one of the benchmark's processes (`<name>.js` beside this file, or a script given by its
 * absolute path) with a JSON config and waits for the JSON line it prints once ready. `env` adds
 * to the environment it inherits. Every build's processes run with `NODE_ENV=production` (unless
 * the bench itself runs under another NODE_ENV), as the Docker image runs them and as the CLI
 * states it for the libraries (common/library-mode.ts).
 */
export async function startChild<T>(name: string, config: unknown, timeoutMs = 60_000, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Child<T>> {
  stopChildrenOnExit();
  const proc: ChildProcess = spawn(process.execPath, [...nodeArgs, name.startsWith('/') ? name : join(__dirname, `${name}.js`), JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production', LOG_LEVEL: 'error', ...env },
  });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${name}: ${line}`));
      }
    });
    proc.once('exit', (code) => reject(new Error(`${name} exited with code ${code}`)));
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  return {
    ready,
    pid: proc.pid!,
    peakRssMb() {
      try {
        const status = require('node:fs').readFileSync(`/proc/${proc.pid}/status`, 'utf8') as string;
        return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch {
        return 0;
      }
    },
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

/** Children still running, stopped when this process ends (Ctrl-C included): none is left behind. */
const running = new Set<ChildProcess>();
let hooked = false;

function stopChildrenOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      process.exit(code);
    });
  }
}
