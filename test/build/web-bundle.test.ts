/**
 * Incremental builds: the web bundle is rebuilt only when web/ or the dependency files changed
 * (a content-hash stamp in dist/web), and TypeScript builds in build mode (up-to-date check first).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWebBundle, STAMP_FILE, webBundleUpToDate, webSourceHash } from '../../scripts/build/web-bundle';

const ROOT = join(__dirname, '../..');

describe('web bundle stamp', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'infrared-web-'));
    mkdirSync(join(root, 'web/dashboard'), { recursive: true });
    writeFileSync(join(root, 'web/index.html'), '<html></html>');
    writeFileSync(join(root, 'web/dashboard/main.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'package.json'), '{"name":"x","devDependencies":{"vite":"7.3.8"}}');
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** What a finished build leaves behind. */
  const fakeBuilt = (hash = webSourceHash(root)) => {
    mkdirSync(join(root, 'dist/web'), { recursive: true });
    writeFileSync(join(root, 'dist/web/index.html'), 'built');
    writeFileSync(join(root, 'dist/web/explorer.html'), 'built');
    writeFileSync(join(root, 'dist/web', STAMP_FILE), `${hash}\n`);
  };

  it('is up to date only with a stamp matching the sources and the built pages present', () => {
    expect(webBundleUpToDate(root)).toBe(false);
    fakeBuilt();
    expect(webBundleUpToDate(root)).toBe(true);
    rmSync(join(root, 'dist/web/explorer.html'));
    expect(webBundleUpToDate(root)).toBe(false);
  });

  it.each([
    ['a web source edited', (r: string) => writeFileSync(join(r, 'web/dashboard/main.ts'), 'export const a = 2;')],
    ['a web file added', (r: string) => writeFileSync(join(r, 'web/dashboard/extra.css'), 'a{}')],
    ['a web file renamed', (r: string) => renameSync(join(r, 'web/dashboard/main.ts'), join(r, 'web/dashboard/app.ts'))],
    ['the lockfile changed (a dependency version)', (r: string) => writeFileSync(join(r, 'package-lock.json'), '{"lockfileVersion":3,"x":1}')],
    ['a dependency in package.json changed', (r: string) => writeFileSync(join(r, 'package.json'), '{"name":"x","devDependencies":{"vite":"7.3.9"}}')],
    ['an override in package.json changed', (r: string) => writeFileSync(join(r, 'package.json'), '{"name":"x","devDependencies":{"vite":"7.3.8"},"overrides":{"a":"1.0.0"}}')],
  ])('is stale after %s', (_what, change) => {
    fakeBuilt();
    change(root);
    expect(webBundleUpToDate(root)).toBe(false);
  });

  it("does not look at files outside web/ and the package files, nor at package.json's scripts", () => {
    fakeBuilt();
    writeFileSync(join(root, 'package.json'), '{"name":"x","devDependencies":{"vite":"7.3.8"},"scripts":{"start":"node x.js"}}');
    mkdirSync(join(root, 'gateway'));
    writeFileSync(join(root, 'gateway/app.ts'), 'x');
    writeFileSync(join(root, 'README.md'), 'y');
    expect(webBundleUpToDate(root)).toBe(true);
  });

  it('skips the build when up to date, and builds (here: fails, no vite in the temp folder) when not', () => {
    fakeBuilt();
    const lines: string[] = [];
    expect(buildWebBundle(root, { log: (l) => lines.push(l) })).toBe('up to date');
    expect(lines.join('\n')).toMatch(/up to date/);
    writeFileSync(join(root, 'web/index.html'), '<html>changed</html>');
    expect(() => buildWebBundle(root, { log: () => undefined })).toThrow();
    // a failed build leaves no stamp claiming the new sources are built
    expect(webBundleUpToDate(root)).toBe(false);
    expect(readFileSync(join(root, 'dist/web', STAMP_FILE), 'utf8').trim()).not.toBe(webSourceHash(root));
  });
});

describe('npm scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  it('build TypeScript in build mode (skips an up-to-date tree) and the web bundle through the stamp', () => {
    expect(scripts.build).toMatch(/^tsc -b \. && node dist\/scripts\/build\/web-bundle\.js$/);
    // npm start and npm test run the same steps (without a second npm process)
    for (const name of ['prestart', 'pretest']) expect([scripts.build, 'npm run build --silent']).toContain(scripts[name]);
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions.incremental).toBe(true);
  });
});
