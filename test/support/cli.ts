import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a real process, from `cwd` (the repository root unless given). The
 * environment's DATABASE_URL and INFRARED_MEMBER_ID do not leak in: tests pass flags.
 * `command` runs something else with the same environment (npm, or a copy of the launcher).
 */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string[] } = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .; npm test does it through pretest)`);
  // INIT_CWD of an outer `npm test` must not move the CLI out of `cwd` (npm sets its own when used)
  const env = { ...process.env, DATABASE_URL: '', INFRARED_MEMBER_ID: '', NODE_OPTIONS: '', INIT_CWD: '', npm_lifecycle_event: '', ...opts.env };
  const [file, ...pre] = opts.command ?? [process.execPath, CLI];
  return new Promise((resolve) => {
    execFile(file, [...pre, ...args], { cwd: opts.cwd ?? ROOT, env, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const lines = (text: string) => text.trimEnd().split('\n');
