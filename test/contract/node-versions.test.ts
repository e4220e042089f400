/**
 * The project runs on the current Node.js LTS lines (20, 22, 24): package.json says so, every
 * installed package (from the lockfile, dev ones included) accepts those versions, so `npm install`
 * prints no EBADENGINE warning, and CI runs the suite on Node 22 and 24 too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';

const ROOT = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; dev?: boolean }> };

/** The oldest release of each supported line the project promises, and the current ones. */
const SUPPORTED = ['20.19.0', '22.13.0', '24.0.0', '20.20.2', '22.23.3', '24.21.0'];

describe('Node.js versions', () => {
  it.each(SUPPORTED)('package.json engines accepts %s, and refuses the lines that are gone', (version) => {
    expect(satisfies(version, pkg.engines.node)).toBe(true);
    for (const old of ['18.20.0', '20.10.0', '21.7.0', '23.0.0']) expect(satisfies(old, pkg.engines.node)).toBe(false);
  });

  it.each(SUPPORTED)('every package in the lockfile accepts Node %s (no EBADENGINE on install)', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, info]) => path !== '' && info.engines && !Array.isArray(info.engines) && info.engines.node)
      .filter(([, info]) => !satisfies(version, (info.engines as { node: string }).node))
      .map(([path, info]) => `${path.replace(/^.*node_modules\//, '')}@${info.version} wants node ${(info.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it('CI runs the suite on Node 22 and on Node 24 too, with binaries from the npm registry', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const lines = ci.split('\n').filter((l) => !l.trim().startsWith('#'));
    for (const major of ['22', '24']) expect(lines.some((l) => new RegExp(`\\.ci/with-node ${major} npm test$`).test(l.trim()))).toBe(true);
    const withNode = readFileSync(join(ROOT, '.ci/with-node'), 'utf8');
    expect(withNode).toContain('"node@$major"');
    expect(withNode).toMatch(/"v\$major\."\*\)/); // refuses to run on another line than asked
  });

  it('the Docker image runs on a supported LTS line', () => {
    const froms = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((l) => /^FROM /.test(l));
    for (const from of froms) expect(from).toMatch(/^FROM node:(22|24)-/);
  });
});
