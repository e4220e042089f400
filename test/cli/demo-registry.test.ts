/**
 * The demo runs on a signed registry: version 1, signed by every demo member, pinned at the
 * gateway and at each member, which refuse an unsigned edit of the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkTransition, readRegistryVersion } from '../../common/registry/signed-registry';
import { startDemoNetwork, type DemoNetwork } from '../../scripts/demo/demo-network';
import { databaseUrl, quietLogger } from '../support/network';

jest.setTimeout(180_000);

describe.each([
  ['in one process', false],
  ['with a process per member', true],
])('the demo %s', (_label, memberProcesses) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'infrared-demo-registry-'));
  let demo: DemoNetwork;

  beforeAll(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        demo = await startDemoNetwork({
          stateDir,
          dataDir: resolve(__dirname, '../../demo'),
          gatewayPort: 0,
          memberBasePort: 20_000 + Math.floor(Math.random() * 20_000),
          databaseUrl: databaseUrl(),
          log: () => undefined,
          logger: quietLogger(),
          memberProcesses,
        });
        return;
      } catch (err) {
        if (!/EADDRINUSE|already in use/.test(String((err as Error).message) + String((err as NodeJS.ErrnoException).code)) || attempt >= 5) throw err;
      }
    }
  });
  afterAll(async () => {
    await demo?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const ready = async (graphqlUrl: string) =>
    (await (await fetch(graphqlUrl.replace(/\/graphql$/, '/ready'))).json()) as {
      registry: {
        signatures: string;
        accepted: { version: number; hash: string };
        lastRefusal?: { hash: string };
      };
    };

  it('writes a registry signed by every demo member, and every service accepts it as its pinned first version', async () => {
    const version = readRegistryVersion(readFileSync(demo.registryFile, 'utf8'));
    expect(version.registry.version).toBe(1);
    expect(version.registry.signatures.map((s) => s.member).sort()).toEqual(version.registry.members.map((m) => m.id).sort());
    // the demo's signatures are real: as a next version, they would meet the threshold of a version 0
    const previous = readRegistryVersion(JSON.stringify({ ...version.content, version: 0 }));
    expect((await checkTransition(previous, version)).acceptable).toBe(true);
    for (const url of [demo.gateway.url, ...demo.members.map((m) => m.url)]) {
      expect((await ready(url)).registry).toMatchObject({
        signatures: 'on',
        accepted: { version: 1, hash: version.hash },
      });
    }
  });

  it('refuses an unsigned edit of the file, at the gateway and at the members', async () => {
    const text = readFileSync(demo.registryFile, 'utf8');
    writeFileSync(demo.registryFile, text.replace(/^version: 1$/m, 'version: 2').replace(/^signatures:[\s\S]*$/m, ''));
    const edited = readRegistryVersion(readFileSync(demo.registryFile, 'utf8'));
    for (const url of [demo.gateway.url, ...demo.members.map((m) => m.url)]) {
      for (let i = 0; i < 100 && (await ready(url)).registry.lastRefusal?.hash !== edited.hash; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await ready(url)).registry).toMatchObject({
        accepted: { version: 1 },
        lastRefusal: { hash: edited.hash },
      });
    }
  });
});
