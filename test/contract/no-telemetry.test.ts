import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

/**
 * The network's users must never leak metadata to a third party: a real gateway process, with
 * every outbound connection and DNS lookup recorded, talks to nobody but its members.
 */
describe('no telemetry', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  });
  afterAll(() => net.stop());

  it('a gateway process connects only to its members, even with Apollo variables in its environment', async () => {
    const log = join(net.dir, 'connections.log');
    writeFileSync(log, '');
    const keyFile = join(net.dir, 'gateway.jwk.json');
    writeFileSync(keyFile, JSON.stringify(net.gatewayKey));
    const script = `require(${JSON.stringify(join(__dirname, '../../dist/gateway/src/app.js'))}).createGateway({ registryFile: ${JSON.stringify(net.registryFile)}, port: 0, gatewayId: 'test-gateway', signingKeyFile: ${JSON.stringify(keyFile)} }).then((g) => console.log(JSON.stringify({ url: g.url })))`;
    const child = spawn(process.execPath, ['--require', join(__dirname, 'net-guard.js'), '-e', script], {
      env: { ...process.env, REDIS_URL: '', NET_GUARD_FILE: log, LOG_LEVEL: 'error', APOLLO_KEY: 'service:leak:abc', APOLLO_GRAPH_REF: 'leak@current' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const { url } = await new Promise<{ url: string }>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
        child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
      });
      for (const q of ['{ services { id } }', '{ members { id name services { id } } }', 'query Named { network { name } }']) {
        expect((await post(url, q)).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 500));
      const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
      const memberPorts = new Set([...net.members.values()].map((m) => String(m.port)));
      const connects = lines.filter((l) => l.startsWith('connect '));
      expect(connects.length).toBeGreaterThan(0);
      for (const line of connects) {
        const [host, port] = line.slice('connect '.length).split(/:(?=\d+$)/);
        expect(['127.0.0.1', 'localhost']).toContain(host);
        expect(memberPorts.has(port)).toBe(true);
      }
      expect(lines.filter((l) => l.startsWith('dns ') && !/dns (localhost|127\.0\.0\.1)$/.test(l))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
