/**
 * The gateway's lifecycle: /health and /ready while running, and a graceful shutdown that lets
 * the request in flight finish while refusing new ones.
 */
import { connect, type Socket } from 'node:net';
import type { Gateway } from '../../gateway/src/app';
import { SCHEMA_VERSION } from '../../schema/version';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { fakeMember, healthyAnswer, rawRequest, until, type FakeMember } from './support';

const SLOW_MS = 500;

describe('gateway lifecycle', () => {
  let net: TestNetwork;
  let slow: FakeMember;

  beforeAll(async () => {
    net = await TestNetwork.start([ringMembers(['alpha', 'beta'])[0]]);
    // answers health checks at once, and every query after 500 ms
    slow = await fakeMember(healthyAnswer({ delayMs: SLOW_MS, data: { services: [{ id: 'slow:one', infrared__id: 'slow:one' }] } }));
    net.addExternalMember({ id: 'slow', url: slow.url });
    await net.reloadRegistry();
  });
  afterAll(async () => {
    await slow?.close();
    await net?.stop();
  });

  it('answers /health 200 and /ready 200 with the schema version', async () => {
    const base = net.gateway.url.replace(/\/graphql$/, '');
    const health = await rawRequest(`${base}/health`, { method: 'GET', headers: {} });
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await rawRequest(`${base}/ready`, { method: 'GET', headers: {} });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({
      status: 'ready',
      schemaVersion: SCHEMA_VERSION,
      members: 2,
      registry: expect.objectContaining({ accepted: expect.objectContaining({ version: 0, hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }) }),
    });
    expect(SCHEMA_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  describe('graceful shutdown', () => {
    let gateway: Gateway;
    let stopped = false;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      gateway = await net.extraGateway({
        memberDeadlineMs: 3000,
        responseCacheTtlSeconds: 0,
      });
      const warm = await post(gateway.url, '{ services { id } }');
      expect(warm.body.data!.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'slow:one']);
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      if (!stopped) await gateway?.stop({ drainTimeoutMs: 100 });
    });

    it('finishes the request in flight, refuses new ones, and reports 503 on /ready while draining', async () => {
      const base = gateway.url.replace(/\/graphql$/, '');
      const { port } = new URL(base);
      // a connection that has started a /ready request (headers not finished) before the stop
      const pendingReady = connect(Number(port), '127.0.0.1');
      sockets.push(pendingReady);
      await new Promise<void>((r) => pendingReady.once('connect', () => r()));
      pendingReady.write('GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const readyAnswer = new Promise<string>((resolve) => {
        let text = '';
        pendingReady.on('data', (c) => (text += c.toString()));
        pendingReady.on('close', () => resolve(text));
        pendingReady.on('error', () => resolve(text));
      });

      const callsBefore = slow.dataCalls();
      const started = Date.now();
      const inFlight = rawRequest(gateway.url, { body: JSON.stringify({ query: '{ services { id } }' }), timeoutMs: 5000 });
      await until(() => slow.dataCalls() > callsBefore, { what: 'the request to reach the slow member' });

      const stopping = gateway.stop({ drainTimeoutMs: 5000 });
      stopped = true;
      // a new request is refused with a code while the one in flight finishes
      const refused = await rawRequest(gateway.url, { body: JSON.stringify({ query: '{ network { id } }' }), timeoutMs: 2000 });
      expect(refused.status).toBe(503);
      expect(refused.json.errors[0].extensions.code).toBe('SHUTTING_DOWN');
      expect(refused.headers.connection).toBe('close');
      // the request that had begun on an open connection is told the gateway is going away
      pendingReady.write('\r\n');
      const ready = await readyAnswer;
      expect(ready).toMatch(/^HTTP\/1\.1 503/);
      expect(ready).toContain('shutting down');

      const done = await inFlight;
      expect(done.status).toBe(200);
      expect(done.headers.connection).toBe('close');
      expect(done.json.errors).toBeUndefined();
      expect(done.json.data.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'slow:one']);
      expect(done.json.extensions.members.slow.status).toBe('ok');
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 20);
      await stopping;
      expect(Date.now() - started).toBeLessThan(SLOW_MS + 3000);
      // once the request in flight is done, the listener is closed
      await expect(rawRequest(gateway.url, { body: JSON.stringify({ query: '{ network { id } }' }), timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    });
  });
});
