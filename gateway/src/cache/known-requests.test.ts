import type { IncomingMessage } from 'node:http';
import { KnownRequests, requestIdentity } from './known-requests';

const request = (over: { method?: string; url?: string; headers?: Record<string, string> } = {}) =>
  ({ method: over.method ?? 'POST', url: over.url ?? '/graphql', headers: { 'content-type': 'application/json', ...over.headers } }) as unknown as IncomingMessage;
const body = Buffer.from('{"query":"{ services { id } }"}');

describe('requestIdentity', () => {
  it('differs whenever anything the cache key is computed from differs', () => {
    const base = requestIdentity(request(), body);
    const variants = [
      requestIdentity(request({ method: 'GET' }), body),
      requestIdentity(request({ url: '/graphql?x=1' }), body),
      requestIdentity(request({ headers: { 'content-type': 'text/plain' } }), body),
      requestIdentity(request({ headers: { 'accept-language': 'de' } }), body),
      requestIdentity(request({ headers: { 'accept-language': '' } }), body),
      requestIdentity(request(), Buffer.from('{"query":"{ services { id name } }"}')),
      // the same text but other bytes (latin1 keeps every byte apart, where utf8 would merge invalid ones)
      requestIdentity(request(), Buffer.from([0xff])),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    expect(requestIdentity(request(), Buffer.from([0xfe]))).not.toBe(requestIdentity(request(), Buffer.from([0xff])));
  });

  it('cannot be forged by moving characters between the parts', () => {
    const a = requestIdentity(request({ headers: { 'content-type': 'application/json', 'accept-language': 'de' } }), body);
    const b = requestIdentity(request({ headers: { 'content-type': 'application/json2:de' } }), body);
    expect(a).not.toBe(b);
  });

  it('leaves out other methods and long bodies', () => {
    expect(requestIdentity(request({ method: 'PUT' }), body)).toBeUndefined();
    expect(requestIdentity(request(), Buffer.alloc(20_000, 0x20))).toBeUndefined();
  });

  it('ignores the headers the key does not depend on (who is asking is checked by the shortcut, per request)', () => {
    expect(requestIdentity(request({ headers: { accept: 'application/graphql-response+json' } }), body)).toBe(requestIdentity(request(), body));
  });
});

describe('KnownRequests', () => {
  it('recalls what was remembered for the same bytes only', () => {
    const known = new KnownRequests();
    known.remember(request(), body, { cacheKey: 'k1', operation: 'anonymous' });
    expect(known.recall(request(), Buffer.from(body))).toEqual({ cacheKey: 'k1', operation: 'anonymous' });
    expect(known.recall(request({ headers: { 'accept-language': 'fr' } }), body)).toBeUndefined();
    expect(known.recall(request(), Buffer.from(`${body.toString()} `))).toBeUndefined();
  });

  it('stays within its byte budget', () => {
    const known = new KnownRequests(64 * 1024);
    for (let i = 0; i < 5000; i++) known.remember(request(), Buffer.from(`{"query":"{ services { id } }","n":${i}}`), { cacheKey: `k${i}`, operation: 'anonymous' });
    expect(known.recall(request(), Buffer.from('{"query":"{ services { id } }","n":0}'))).toBeUndefined();
    expect(known.recall(request(), Buffer.from('{"query":"{ services { id } }","n":4999}'))?.cacheKey).toBe('k4999');
  });
});
