import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memberSdlPath } from '../../schema/paths';
import { SCHEMA_VERSION } from '../../schema/version';

/** The committed member contract, as a real member serves it from `_service { sdl }`. */
export const CONTRACT_SDL = readFileSync(memberSdlPath(), 'utf8');

export interface FakeRequest {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

/** What a fake answers: a status and text, or `null` to hang (accept and never answer). */
export type FakeAnswer = { status?: number; text: string; delayMs?: number } | null;

export interface FakeMember {
  /** The GraphQL endpoint, `http://127.0.0.1:port/graphql`. */
  url: string;
  server: Server;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** POSTs to /graphql that are not the health check's `_service { sdl }` read. */
  dataCalls(): number;
  /** Replace the answering function (e.g. turn a hang into a healthy member). */
  answer: (req: FakeRequest) => FakeAnswer;
  close(): Promise<void>;
}

/**
 * A real HTTP endpoint standing in for a member: every request is recorded and answered by
 * `answer` (switchable at run time). Hung requests are cut when the fake closes.
 */
export async function fakeMember(answer: (req: FakeRequest) => FakeAnswer): Promise<FakeMember> {
  const requests: FakeRequest[] = [];
  const fake = { answer } as FakeMember;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: FakeRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      requests.push(r);
      const out = fake.answer(r);
      if (!out) return; // hang
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
        res.end(out.text);
      };
      if (out.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, out.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    server,
    requests,
    dataCalls: () => requests.filter((r) => r.method === 'POST' && r.path === '/graphql' && !r.body.includes('_service')).length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
  return fake;
}

/**
 * A well-behaved member stand-in: /health ok, `_service { sdl }` → `sdl`, any other query →
 * `data` (default: empty lists for every root list field).
 */
export function healthyAnswer(opts: { sdl?: string; schemaVersion?: string; data?: Record<string, unknown>; delayMs?: number } = {}): (req: FakeRequest) => FakeAnswer {
  return (req) => {
    if (req.method === 'GET' && (req.path === '/health' || req.path === '/ready')) return { text: JSON.stringify({ status: 'ok', schemaVersion: opts.schemaVersion ?? SCHEMA_VERSION }) };
    if (req.body.includes('_service')) return { text: JSON.stringify({ data: { _service: { sdl: opts.sdl ?? CONTRACT_SDL } } }) };
    return { text: JSON.stringify({ data: opts.data ?? { services: [], projects: [], capacity: [] } }), delayMs: opts.delayMs };
  };
}

/** Polls `check` until it returns a truthy value (bounded); returns that value. */
export async function until<T>(check: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

export interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json: any;
}

/**
 * One HTTP request with exact bytes (node:http, a fresh connection each time), failing the test if
 * no answer comes within `timeoutMs` — a hang is a failure, not a slow pass.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number; localAddress?: string; chunks?: (Buffer | string)[] } = {},
): Promise<RawAnswer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method ?? 'POST',
        path: opts.path ?? u.pathname + u.search,
        headers: opts.headers ?? { 'content-type': 'application/json' },
        agent: false,
        localAddress: opts.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${opts.timeoutMs ?? 5000} ms (${opts.method ?? 'POST'} ${url})`));
    }, opts.timeoutMs ?? 5000);
    timer.unref();
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

/** A seeded PRNG (shared with the simulation harness), so a failing fuzz case can be replayed. */
export { mulberry32 } from '../../scripts/simulate/prng';

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
