/**
 * `infrared gateway start` and `infrared member start` (the built CLI, real processes) run in
 * production mode unless `--dev` or NODE_ENV=development, and say which when they start.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { databaseUrl, uniqueSchema } from '../support/network';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);
jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'infrared-mode-'));
const registry = join(dir, 'network.yaml');
writeFileSync(registry, stringify({ network: { id: 'modes', name: 'Modes' }, members: [], gateways: [] }));
// a production gateway checks registry signatures (the suite turns them off): it starts from a pinned first version
const pin = readRegistryVersion(readFileSync(registry, 'utf8')).hash;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI, returns its first line of output and whether its endpoint shows suggestions; then stops it. */
async function start(args: string[], env: Record<string, string> = {}): Promise<{ line: string; suggests: boolean }> {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: '', DATABASE_URL: '', NODE_OPTIONS: '', LOG_LEVEL: 'silent', INFRARED_REGISTRY_SIGNATURES: '', INFRARED_REGISTRY_PIN: pin, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      // the listening line (a line about the young generation may come before it)
      createInterface({ input: proc.stdout! }).on('line', (line) => /listening on/.test(line) && resolve(line));
      proc.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const url = /listening on (\S+)/.exec(line)![1];
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ servics { id } }' }) });
    return { line, suggests: (await res.text()).includes('Did you mean') };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

const gateway = ['gateway', 'start', '--registry', registry, '--port', '0'];
const member = () => ['member', 'start', '--member', 'modes', '--database-url', databaseUrl(), '--schema', uniqueSchema('modes'), '--port', '0'];

describe('production by default', () => {
  it('gateway start: production, unless --dev or NODE_ENV=development', async () => {
    const plain = await start(gateway);
    expect(plain.line).toMatch(/production mode/);
    expect(plain.suggests).toBe(false);
    const dev = await start([...gateway, '--dev']);
    expect(dev.line).toMatch(/development mode/);
    expect(dev.suggests).toBe(true);
    expect((await start(gateway, { NODE_ENV: 'development' })).line).toMatch(/development mode/);
  });

  it('member start: production, unless --dev', async () => {
    const plain = await start(member());
    expect(plain.line).toMatch(/production mode/);
    expect(plain.suggests).toBe(false);
    const dev = await start([...member(), '--dev']);
    expect(dev.line).toMatch(/development mode/);
    expect(dev.suggests).toBe(true);
  });
});
