/**
 * Gateways of two networks, or two groups of one network, share one Redis without sharing
 * anything through it: every key is under `infrared:<network id>:<group>:`. Runs on a private
 * redis-server (a clean keyspace to inspect), never on the machine's shared one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import type { Gateway } from '../../gateway/src/app';
import { startPrivateRedis, type PrivateRedis } from '../../scripts/fault/private-redis';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

let net: TestNetwork;
let server: PrivateRedis;
let redisUrl: string;
const gateways: Gateway[] = [];

/** A copy of the test registry under another network id. */
function registryFor(networkId: string): string {
  const registry = parse(net.registryText());
  registry.network.id = networkId;
  const file = join(net.dir, `network-${networkId}.yaml`);
  writeFileSync(file, stringify(registry));
  return file;
}

const gateway = async (registryFile: string, gatewayGroup?: string) => {
  const gw = await net.extraGateway({
    registryFile,
    redisUrl,
    responseCacheTtlSeconds: 60,
    rateLimitPoints: 3,
    rateLimitWindowSeconds: 60,
    gatewayGroup,
  });
  gateways.push(gw);
  return gw;
};

beforeAll(async () => {
  server = await startPrivateRedis();
  redisUrl = server.url;
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
});
afterAll(async () => {
  for (const gw of gateways) await gw.stop();
  await net?.stop();
  await server?.stop();
});

const ask = (gw: Gateway, query: string) => fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

describe('Redis keys are namespaced by network id and gateway group', () => {
  it('a cached answer of one network is not served by a gateway of another, nor by another group of the same network', async () => {
    const a = await gateway(registryFor('net-a'));
    const a2 = await gateway(registryFor('net-a'));
    const b = await gateway(registryFor('net-b'));
    const aOther = await gateway(registryFor('net-a'), 'other');
    const q = '{ services { id } }';
    expect((await ask(a, q)).headers.get('x-infrared-cache')).toBeNull();
    expect((await ask(a2, q)).headers.get('x-infrared-cache')).toBe('hit'); // same network and group: shared, as before
    expect((await ask(b, q)).headers.get('x-infrared-cache')).toBeNull();
    expect((await ask(aOther, q)).headers.get('x-infrared-cache')).toBeNull();
  });

  it('rate-limit counters are not shared across networks or groups', async () => {
    const c = await gateway(registryFor('net-c'));
    const d = await gateway(registryFor('net-d'));
    const cOther = await gateway(registryFor('net-c'), 'other');
    const q = '{ network { id } }';
    const statuses = async (gw: Gateway, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await ask(gw, q)).status);
      return out;
    };
    expect(await statuses(c, 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(d, 1)).toEqual([200]);
    expect(await statuses(cOther, 1)).toEqual([200]);
  });

  it('every key in Redis is under infrared:<network>:<group>:', async () => {
    const client = new Redis(redisUrl);
    const keys = await client.keys('*');
    client.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^infrared:net-[a-d]:(default|other):/);
  });
});
