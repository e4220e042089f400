import { subscribe } from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Benchmark-only timestamps of one process's requests, preloaded with `node --require` by the
 * fan-out phase breakdown (fanout-phases.ts): it reads Node's and undici's diagnostics channels,
 * so the product code carries no probe. Per incoming request with an `x-request-id` it records
 * when the request arrived and when its answer was written; per outgoing undici request carrying
 * the same id, when it was created, when its headers went out, when the answer's headers came
 * back and when it completed; and the time spent in `pg` queries started by the request. Times
 * are absolute milliseconds (`performance.timeOrigin + now()`), comparable across processes on
 * one machine. Written as JSON to `PHASE_PROBE_FILE` when the process exits.
 */
export interface ProbeRecord {
  id: string;
  /** Incoming request: arrived, answer finished. */
  in?: number;
  out?: number;
  /** SQL statements started while serving it, their summed time, first start and last end. */
  sql?: { n: number; ms: number; first: number; last: number };
  /** Outgoing calls made for it: created, headers sent, answer headers, complete. */
  calls?: { created: number; sent?: number; headers?: number; done?: number }[];
}

const file = process.env.PHASE_PROBE_FILE;
const now = () => performance.timeOrigin + performance.now();
const records = new Map<string, ProbeRecord>();
const record = (id: string) => {
  let r = records.get(id);
  if (!r) records.set(id, (r = { id }));
  return r;
};
const current = new AsyncLocalStorage<ProbeRecord>();
const outgoing = new WeakMap<object, NonNullable<ProbeRecord['calls']>[number]>();
/** The newly created sockets (connection churn) seen by undici, and by the HTTP server. */
let connects = 0;
let accepts = 0;

if (file) {
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    const id = request.headers['x-request-id'];
    if (typeof id !== 'string') return;
    const r = record(id);
    r.in = now();
    // the request's handler runs in this context: SQL it starts is counted for it
    current.enterWith(r);
  });
  subscribe('http.server.response.finish', (message) => {
    const { request } = message as { request: IncomingMessage; response: ServerResponse };
    const id = request.headers['x-request-id'];
    if (typeof id === 'string') record(id).out = now();
  });
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { headers: string[] | string } };
    const headers = Array.isArray(request.headers) ? request.headers : [];
    const at = headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'x-request-id');
    if (at < 0) return;
    const call = { created: now() };
    outgoing.set(request, call);
    (record(headers[at + 1]).calls ??= []).push(call);
  });
  const mark = (name: string, key: 'sent' | 'headers' | 'done') =>
    subscribe(name, (message) => {
      const call = outgoing.get((message as { request: object }).request);
      if (call) call[key] = now();
    });
  mark('undici:client:sendHeaders', 'sent');
  mark('undici:request:headers', 'headers');
  mark('undici:request:trailers', 'done');
  subscribe('undici:client:connected', () => connects++);
  subscribe('net.server.socket', () => accepts++);
  patchPg();
  process.on('exit', () => {
    const summary = { pid: process.pid, connects, accepts };
    writeFileSync(file, JSON.stringify({ summary, records: [...records.values()] }));
  });
}

/** Times `pg` queries (callback and promise forms) for the request that started them. */
function patchPg(): void {
  let pg: { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pg = require('pg');
  } catch {
    return;
  }
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const r = current.getStore();
    if (!r) return query.apply(this, args);
    const started = now();
    const done = () => {
      const ended = now();
      const s = (r.sql ??= { n: 0, ms: 0, first: started, last: ended });
      s.n++;
      s.ms += ended - started;
      s.last = Math.max(s.last, ended);
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...a: unknown[]) => unknown;
      args[last] = (...a: unknown[]) => {
        done();
        return callback(...a);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    return result;
  };
}
