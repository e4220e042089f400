/**
 * `infrared gateway start` (the built CLI, a real process) says in its log when it runs with V8's
 * default young generation, and names the NODE_OPTIONS that changes it; with a semi-space chosen
 * (the default one or the operator's own) it says nothing about it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { GATEWAY_SEMI_SPACE_OPTION } from '../../gateway/src/limits/young-generation';
import { startGatewayCli } from '../support/cli-service';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'infrared-young-'));
const registry = join(dir, 'network.yaml');
writeFileSync(registry, stringify({ network: { id: 'young', name: 'Young' }, members: [], gateways: [] }));
const pin = readRegistryVersion(readFileSync(registry, 'utf8')).hash;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a gateway under `nodeOptions`, waits until it listens, stops it: every line it printed. */
async function startupLines(nodeOptions: string): Promise<string[]> {
  const gateway = await startGatewayCli(registry, { env: { NODE_ENV: '', NODE_OPTIONS: nodeOptions, LOG_LEVEL: 'silent', INFRARED_REGISTRY_SIGNATURES: '', INFRARED_REGISTRY_PIN: pin } });
  await gateway.stop(); // its lines are all read once it has stopped
  return gateway.lines;
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
