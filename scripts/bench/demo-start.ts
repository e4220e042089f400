/**
 * How long `infrared demo` takes to be ready, with its members in one process or a process each,
 * on a first start (empty state directory: keys, database, migrations) and a second start (same
 * state), side by side and alternated so machine load hits both alike. Also the no-op build that
 * `npm start` runs first (tsc build mode and the web-bundle stamp check).
 * Usage: npm run build && node dist/scripts/bench/demo-start.js [--rounds 2] [--port 5200]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../cli/repo-root';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 2);
const PORT = arg('--port', 5200);
const ROOT = repoRoot();
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');

/** Seconds from spawning the demo to its "Ready" line; then stops it (SIGINT) and waits for the exit. */
function timeDemo(stateDir: string, inProcess: boolean): Promise<number> {
  const args = [CLI, 'demo', '--state', stateDir, '--port', String(PORT), '--member-port', String(PORT + 1), ...(inProcess ? [] : ['--member-processes'])];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'error' } });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (/\nReady in /.test(out) && !child.killed) {
        const seconds = (performance.now() - started) / 1000;
        child.kill('SIGINT');
        child.once('exit', () => resolve(seconds));
      }
    });
    child.once('exit', (code) => {
      if (!/\nReady in /.test(out)) reject(new Error(`demo exited with ${code} before ready: ${err.slice(-500)}`));
    });
  });
}

function timeBuild(): number {
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const results: Record<string, number[]> = {};
  const add = (key: string, s: number) => (results[key] ??= []).push(s);
  for (let round = 1; round <= ROUNDS; round++) {
    add('no-op build (npm run build)', timeBuild());
    for (const inProcess of round % 2 ? [true, false] : [false, true]) {
      const label = inProcess ? 'members in one process' : 'a process per member';
      const state = mkdtempSync(join(tmpdir(), 'infrared-demo-start-'));
      try {
        add(`${label}, first start`, await timeDemo(state, inProcess));
        add(`${label}, second start`, await timeDemo(state, inProcess));
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [key, xs] of Object.entries(results)) console.log(`${key.padEnd(42)} median ${median(xs).toFixed(1)} s  (${xs.map((x) => x.toFixed(1)).join(', ')})`);
  const ratio = (a: string, b: string) => (median(results[a]) / median(results[b])).toFixed(2);
  console.log(
    `process per member / one process: first start ${ratio('a process per member, first start', 'members in one process, first start')}, second start ${ratio('a process per member, second start', 'members in one process, second start')}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
