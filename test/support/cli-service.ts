import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CLI, ROOT } from './cli';

/** A service of the built CLI (`infrared gateway start`, `infrared member start`), running as a real process. */
export interface CliService {
  child: ChildProcess;
  /** Its `… listening on <url> …` line. */
  listening: string;
  /** The URL of that line (`http://127.0.0.1:<port>/graphql`). */
  url: string;
  /** Every line it has printed on stdout so far (those before the listening line too); all of them once `exited` has resolved. */
  lines: string[];
  /** What it has printed on stderr so far. */
  stderr(): string;
  /** Its exit code (null when a signal ended it), once it has exited and all its output is read. */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM unless given), then waits for `exited`. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface CliServiceOptions {
  /** Over this process's environment (nothing else is cleared: each test says what it clears). */
  env?: NodeJS.ProcessEnv;
  /** The repository root unless given. */
  cwd?: string;
}

/**
 * Starts the built CLI with `args` and resolves once it has printed its listening line, reading
 * its output line by line (so a line printed before that one is in `lines` by then). Rejects, with
 * all it printed, if it exits first. The caller stops it (`stop()`, or a signal of its own).
 */
export async function startCliService(args: string[], opts: CliServiceOptions = {}): Promise<CliService> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -b .)`);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const output = createInterface({ input: child.stdout! });
  const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  // 'exit' can come before the last of the output is read: it is all in once both pipes close
  const outputRead = new Promise((resolve) => output.once('close', resolve));
  const stderrRead = new Promise((resolve) => child.stderr!.once('close', resolve));
  const exited = Promise.all([code, outputRead, stderrRead]).then(([c]) => c);
  const listening = await new Promise<string>((resolve, reject) => {
    output.on('line', (line) => {
      lines.push(line);
      if (/listening on \S+/.test(line)) resolve(line);
    });
    void exited.then((c) => reject(new Error(`infrared ${args.slice(0, 2).join(' ')} exited (${c}) before listening:\n${lines.join('\n')}\n${stderr}`)));
  });
  return {
    child,
    listening,
    url: /listening on (\S+)/.exec(listening)![1],
    lines,
    stderr: () => stderr,
    exited,
    stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/** `infrared gateway start` over `registry`, on a free port (`args` are added to the command line): see `startCliService`. */
export function startGatewayCli(registry: string, opts: CliServiceOptions & { args?: string[] } = {}): Promise<CliService> {
  return startCliService(['gateway', 'start', '--registry', registry, '--port', '0', ...(opts.args ?? [])], opts);
}
