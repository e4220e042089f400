import { resolve } from 'node:path';
import { repoRoot } from './repo-root';

/**
 * The directory the user ran the command from. `npm run infrared` (and `npm start`) change into
 * the package root and keep the caller's directory in INIT_CWD; elsewhere it is the current
 * directory. Only trusted when npm started us in the package root, so a stale INIT_CWD inherited
 * by a process started elsewhere is ignored.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const startedByNpm = Boolean(env.npm_lifecycle_event && env.INIT_CWD);
  return startedByNpm && resolve(cwd) === resolve(repoRoot()) ? resolve(env.INIT_CWD!) : cwd;
}
