/**
 * `infrared gateway start` and `infrared member start` (the built CLI, real processes) run in
 * production mode unless `--dev` or NODE_ENV=development, and say which when they start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { startCliService } from '../support/cli-service';
import { databaseUrl, uniqueSchema } from '../support/network';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'infrared-mode-'));
const registry = join(dir, 'network.yaml');
writeFileSync(registry, stringify({ network: { id: 'modes', name: 'Modes' }, members: [], gateways: [] }));
// a production gateway checks registry signatures (the suite turns them off): it starts from a pinned first version
const pin = readRegistryVersion(readFileSync(registry, 'utf8')).hash;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI, returns its listening line and whether its endpoint shows suggestions; then stops it. */
async function start(args: string[], env: Record<string, string> = {}): Promise<{ line: string; suggests: boolean }> {
  // the listening line (a line about the young generation may come before it)
  const service = await startCliService(args, { env: { NODE_ENV: '', DATABASE_URL: '', NODE_OPTIONS: '', LOG_LEVEL: 'silent', INFRARED_REGISTRY_SIGNATURES: '', INFRARED_REGISTRY_PIN: pin, ...env } });
  try {
    const res = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ servics { id } }' }) });
    return { line: service.listening, suggests: (await res.text()).includes('Did you mean') };
  } finally {
    await service.stop();
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
