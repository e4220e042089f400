/**
 * `infrared gateway start` (the built CLI, a real process) says in its log when it runs with V8's
 * default young generation, and names the NODE_OPTIONS that changes it; with a semi-space chosen
 * (the default one or the operator's own) it says nothing about it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { GATEWAY_SEMI_SPACE_OPTION } from '../../gateway/src/limits/young-generation';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/scripts/cli/infrared.js');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);
jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'infrared-young-'));
const registry = join(dir, 'network.yaml');
writeFileSync(registry, stringify({ network: { id: 'young', name: 'Young' }, members: [], gateways: [] }));
const pin = readRegistryVersion(readFileSync(registry, 'utf8')).hash;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a gateway under `nodeOptions`, waits until it listens, stops it: every line it printed. */
async function startupLines(nodeOptions: string): Promise<string[]> {
  const proc = spawn(process.execPath, [CLI, 'gateway', 'start', '--registry', registry, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: '', NODE_OPTIONS: nodeOptions, LOG_LEVEL: 'silent', INFRARED_REGISTRY_SIGNATURES: '', INFRARED_REGISTRY_PIN: pin },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const output = createInterface({ input: proc.stdout! });
  // 'exit' can come before the last of stdout is read: the lines are all in once stdout closes
  const allRead = new Promise((resolve) => output.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    output.on('line', (line) => {
      lines.push(line);
      if (/listening on/.test(line)) resolve();
    });
    void exited.then(() => reject(new Error(`exited before listening: ${lines.join('\n')}`)));
  });
  proc.kill('SIGTERM');
  await exited;
  await allRead;
  return lines;
}

describe('gateway start and the young generation', () => {
  it("names the NODE_OPTIONS when it runs with V8's default", async () => {
    const lines = await startupLines('');
    expect(lines.filter((l) => l.includes(`NODE_OPTIONS=${GATEWAY_SEMI_SPACE_OPTION}`))).toHaveLength(1);
  });

  it.each([[GATEWAY_SEMI_SPACE_OPTION], ['--max-semi-space-size=8']])('says nothing of it under NODE_OPTIONS=%s', async (nodeOptions) => {
    const lines = await startupLines(nodeOptions);
    expect(lines.some((l) => /listening on/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes('young generation'))).toEqual([]);
  });
});
