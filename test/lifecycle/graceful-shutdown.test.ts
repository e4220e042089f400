/**
 * Graceful shutdown of real processes (`infrared gateway start`, `infrared member start`) on SIGTERM,
 * over real HTTP, as docs/operate-gateway.md describes it:
 * 1. at once: /ready answers 503 while everything else is still served (the drain delay), and
 *    every answer carries `connection: close`;
 * 2. then: new requests get 503 `SHUTTING_DOWN`, /health stays 200, the request in flight finishes;
 * 3. then the listener closes and the process exits 0.
 * The request in flight is held open by sending its body in two parts, around the signal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawRequest, until, type RawAnswer } from '../reliability/support';
import { startCliService, type CliService } from '../support/cli-service';
import { databaseUrl, uniqueSchema } from '../support/network';

/** Long enough to make the checks of phase 1 on a loaded machine; the test never waits it out idly. */
const DRAIN_DELAY_MS = 4000;

jest.setTimeout(120_000);
const dir = mkdtempSync(join(tmpdir(), 'infrared-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startService(args: string[]): Promise<CliService> {
  const env = { NODE_OPTIONS: '', DATABASE_URL: '', INFRARED_SHUTDOWN_DELAY_MS: String(DRAIN_DELAY_MS), INFRARED_SHUTDOWN_TIMEOUT_MS: '30000', LOG_LEVEL: 'warn' };
  return startCliService(args, { cwd: dir, env });
}

/** A POST whose body is sent in two parts: the request is in flight until `finish()`. */
async function requestInFlight(base: string, query: string): Promise<{ finish(): Promise<string> }> {
  const { hostname, port } = new URL(base);
  const body = JSON.stringify({ query });
  const socket = connect(Number(port), hostname);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let text = '';
  socket.on('data', (c) => (text += c.toString()));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  const half = Math.floor(body.length / 2);
  socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
  return {
    finish() {
      socket.write(body.slice(half));
      return closed;
    },
  };
}

const get = (base: string, path: string) => rawRequest(`${base}${path}`, { method: 'GET', headers: {}, timeoutMs: 10_000 });
const query = (base: string, q: string) => rawRequest(`${base}/graphql`, { body: JSON.stringify({ query: q }), timeoutMs: 10_000 });

async function checkShutdown(service: CliService, probeQuery: string, expectData: (answer: RawAnswer['json']) => void): Promise<void> {
  const { child } = service;
  const base = new URL(service.url).origin;
  expect((await get(base, '/ready')).status).toBe(200);
  const inFlight = await requestInFlight(base, probeQuery);

  const signalled = performance.now();
  child.kill('SIGTERM');
  // phase 1 — the drain delay: /ready 503 at once, everything else still served, connection: close
  const ready = await until(
    async () => {
      const r = await get(base, '/ready');
      return r.status === 503 ? r : undefined;
    },
    { what: '/ready to turn 503', intervalMs: 20 },
  );
  expect(ready.json).toEqual({ status: 'shutting down' });
  expect(ready.headers.connection).toBe('close');
  const served = await query(base, probeQuery);
  const health = await get(base, '/health');
  const stillInDelay = performance.now() - signalled < DRAIN_DELAY_MS;
  expect(stillInDelay).toBe(true); // else the machine was too slow to observe phase 1: not a pass
  expect(served.status).toBe(200);
  expect(served.headers.connection).toBe('close');
  expectData(served.json);
  expect(health.status).toBe(200);

  // phase 2 — new requests are refused with a code, liveness still answers
  const refused = await until(
    async () => {
      const r = await query(base, probeQuery);
      return r.status === 503 ? r : undefined;
    },
    { what: 'new requests to get 503', timeoutMs: DRAIN_DELAY_MS * 3, intervalMs: 100 },
  );
  expect(performance.now() - signalled).toBeGreaterThanOrEqual(DRAIN_DELAY_MS - 50);
  expect(refused.json.errors[0].extensions.code).toBe('SHUTTING_DOWN');
  expect(refused.headers.connection).toBe('close');
  expect(refused.headers['content-type']).toMatch(/json/);
  expect((await get(base, '/health')).status).toBe(200);
  expect(child.exitCode).toBeNull();

  // the request in flight since before the signal finishes with its answer
  const answer = await inFlight.finish();
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  expect(answer.toLowerCase()).toContain('connection: close');
  expectData(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)));

  // phase 3 — the process exits cleanly and the port is closed
  expect(await service.exited).toBe(0);
  await expect(get(base, '/health')).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);
}

describe('graceful shutdown on SIGTERM (real processes)', () => {
  it.concurrent('gateway: /ready 503 during the drain delay, then 503 SHUTTING_DOWN, in-flight finishes, exit 0', async () => {
    const registry = join(dir, 'network.yaml');
    writeFileSync(registry, 'network: { id: shutdown-test, name: Shutdown test }\nmembers: []\ngateways: []\n');
    const gateway = await startService(['gateway', 'start', '--registry', registry, '--port', '0']);
    try {
      await checkShutdown(gateway, '{ network { id } }', (json) => expect(json.data.network.id).toBe('shutdown-test'));
    } finally {
      await gateway.stop('SIGKILL');
    }
    expect(gateway.stderr()).not.toMatch(/error while stopping/);
  });

  it.concurrent('member: the same lifecycle, then its database is closed', async () => {
    const storage = ['--database-url', databaseUrl(), '--schema', uniqueSchema('shutdown')];
    const member = await startService(['member', 'start', '--member', 'shutdown-test', '--port', '0', ...storage]);
    try {
      await checkShutdown(member, '{ services { id } }', (json) => expect(json.data.services).toEqual([]));
    } finally {
      await member.stop('SIGKILL');
    }
    expect(member.stderr()).not.toMatch(/error while stopping/);
  });
});
