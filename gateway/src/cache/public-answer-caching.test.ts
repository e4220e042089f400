import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../common/caller';
import type { GatewayContext } from '../context';
import { NO_STORE, PUBLIC_REVALIDATE, PublicAnswerCaching } from './public-answer-caching';

const anonymous = { anonymous: true, scopes: [] } as unknown as Caller;
const signedIn = { anonymous: false, member: 'alpha', subject: 'bot', scopes: ['read'] } as unknown as Caller;
const req = (method: string) => ({ method, headers: {} }) as IncomingMessage;
const body = (data: unknown, extensions: unknown = { members: { alpha: { status: 'ok', durationMs: 0 } } }) => JSON.stringify({ data, extensions });

describe('PublicAnswerCaching', () => {
  const complete = (r: IncomingMessage, caching: PublicAnswerCaching, reports: GatewayContext['reports'] = [{ member: 'alpha', status: 'ok', durationMs: 3 }]) =>
    caching.track(r, { reports } as GatewayContext);

  it('tags a complete anonymous GET answer by its data, whatever its timings', () => {
    const caching = new PublicAnswerCaching();
    const a = req('GET');
    const b = req('GET');
    complete(a, caching);
    complete(b, caching);
    const first = caching.headers({ req: a, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }) })!;
    const second = caching.headers(
      { req: b, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) },
      { status: 200, body: body({ x: 1 }, { members: { alpha: { status: 'ok', durationMs: 100 } } }) },
    )!;
    expect(first['cache-control']).toBe(PUBLIC_REVALIDATE);
    expect(first.etag).toBe(second.etag);
    expect(caching.headers({ req: a, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 2 }) })!.etag).not.toBe(first.etag);
  });

  it('gives no tag to private, partial, failed or non-GET answers', () => {
    const caching = new PublicAnswerCaching();
    const get = req('GET');
    complete(get, caching);
    expect(caching.headers({ req: get, auth: signedIn, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }) })).toEqual({ 'cache-control': NO_STORE });
    expect(caching.headers({ req: get, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: JSON.stringify({ data: { x: 1 }, errors: [{ message: 'm' }] }) })).toEqual({
      'cache-control': NO_STORE,
    });
    expect(caching.headers({ req: get, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 400, body: body(null) })).toEqual({ 'cache-control': NO_STORE });
    const partial = req('GET');
    complete(partial, caching, [{ member: 'alpha', status: 'timeout', durationMs: 3 }]);
    expect(caching.headers({ req: partial, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }) })).toEqual({ 'cache-control': NO_STORE });
    const untracked = req('GET');
    expect(caching.headers({ req: untracked, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }) })).toEqual({ 'cache-control': NO_STORE });
    expect(caching.headers({ req: untracked, auth: anonymous, body: undefined, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }), intercepted: true })!.etag).toBeDefined();
    expect(caching.headers({ req: req('POST'), auth: anonymous, body: {}, rawBody: Buffer.alloc(0) }, { status: 200, body: body({ x: 1 }) })).toBeUndefined();
  });
});
