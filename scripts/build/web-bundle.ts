/**
 * Builds the web bundle (dist/web) only when something it is made from changed: every file under
 * web/, package-lock.json (the versions of vite, react, graphiql…) and package.json's dependency
 * fields (not its scripts). Their content hash is kept in dist/web/.build-stamp; a matching stamp
 * means the bundle is up to date.
 * Usage: node dist/scripts/build/web-bundle.js [--force]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../cli/repo-root';

export const STAMP_FILE = '.build-stamp';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []))
    .sort();
}

/** package.json's fields that decide what gets installed. */
function dependencyFields(file: string): string {
  if (!existsSync(file)) return '';
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return JSON.stringify(['dependencies', 'devDependencies', 'optionalDependencies', 'overrides', 'engines'].map((k) => [k, pkg[k] ?? null]));
}

/** The content hash of the web bundle's inputs: paths and bytes, so a rename counts as a change. */
export function webSourceHash(root: string): string {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(join(root, 'web')), join(root, 'package-lock.json')].filter((f) => existsSync(f));
  for (const file of inputs) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash
    .update('package.json')
    .update('\0')
    .update(dependencyFields(join(root, 'package.json')));
  return hash.digest('hex');
}

/** True when dist/web holds a bundle built from exactly these sources. */
export function webBundleUpToDate(root: string, hash = webSourceHash(root)): boolean {
  const out = join(root, 'dist', 'web');
  const stamp = join(out, STAMP_FILE);
  if (!existsSync(stamp) || !existsSync(join(out, 'index.html')) || !existsSync(join(out, 'explorer.html'))) return false;
  return readFileSync(stamp, 'utf8').trim() === hash;
}

/** Type-checks and bundles web/ (tsc, then vite), then writes the stamp. */
export function buildWebBundle(root: string, opts: { force?: boolean; log?: (line: string) => void } = {}): 'built' | 'up to date' {
  const log = opts.log ?? (() => undefined);
  const hash = webSourceHash(root);
  if (!opts.force && webBundleUpToDate(root, hash)) {
    log('web bundle: up to date (dist/web/.build-stamp matches web/ and the lockfile)');
    return 'up to date';
  }
  const bin = (name: string) => join(root, 'node_modules', name);
  const run = (script: string, args: string[]) => execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  log('web bundle: building (tsc -p web, vite build)…');
  run(bin('typescript/bin/tsc'), ['-p', 'web']);
  run(bin('vite/bin/vite.js'), ['build', '--config', 'web/vite.config.ts']);
  // vite empties dist/web first, so the stamp is written after it, and only after a successful build
  writeFileSync(join(root, 'dist', 'web', STAMP_FILE), `${hash}\n`);
  return 'built';
}

if (require.main === module) {
  const started = performance.now();
  try {
    const result = buildWebBundle(repoRoot(), { force: process.argv.includes('--force'), log: (l) => process.stderr.write(`${l}\n`) });
    if (result === 'built') process.stderr.write(`web bundle: built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    process.stderr.write(`web bundle: build failed (${(err as Error).message.split('\n')[0]})\n`);
    process.exit(1);
  }
}
