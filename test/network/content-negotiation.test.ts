/**
 * Every answer the gateway writes itself (401, 413, 429, cache hits) honours `Accept` the way
 * Apollo's own answers do, and a cache hit passes the same CSRF prevention as a miss. Apollo
 * Client (the real one, @apollo/client 4) keeps the UNAUTHENTICATED code of a 401.
 */
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

let net: TestNetwork;
let limited: Gateway;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { responseCacheTtlSeconds: 60, maxRequestBodyBytes: 4000 });
  limited = await net.extraGateway({
    responseCacheTtlSeconds: 0,
    rateLimitPoints: 1,
    rateLimitWindowSeconds: 60,
  });
});
afterAll(async () => {
  await limited?.stop();
  await net?.stop();
});

const send = (url: string, opts: { body?: string; accept?: string; contentType?: string; token?: string } = {}) => {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  if (opts.accept) headers.accept = opts.accept;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return fetch(url, { method: 'POST', headers, body: opts.body ?? JSON.stringify({ query: '{ services { id } }' }) });
};

describe('content types of the answers the gateway writes itself', () => {
  it.each([
    ['401', () => send(net.gateway.url, { token: 'not.a.token', accept: 'application/graphql-response+json' }), () => send(net.gateway.url, { token: 'not.a.token' })],
    [
      '413',
      () => send(net.gateway.url, { body: JSON.stringify({ query: `{ services { id } } #${'x'.repeat(5000)}` }), accept: 'application/graphql-response+json' }),
      () => send(net.gateway.url, { body: JSON.stringify({ query: `{ services { id } } #${'x'.repeat(5000)}` }) }),
    ],
  ])('%s: graphql-response+json when asked for, application/json otherwise', async (_status, asked, plain) => {
    const a = await asked();
    expect(a.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
    const b = await plain();
    expect(b.headers.get('content-type')).toBe(JSON_TYPE);
    expect(a.status).toBe(b.status);
    expect(await a.text()).toBe(await b.text());
  });

  it('429: graphql-response+json when asked for', async () => {
    await send(limited.url, { body: JSON.stringify({ query: '{ network { id } }' }) });
    const res = await send(limited.url, { body: JSON.stringify({ query: '{ network { id } }' }), accept: 'application/graphql-response+json, application/json;q=0.9' });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
  });
});

describe('cache hits', () => {
  const body = JSON.stringify({ query: '{ services { id name } }' });

  it('honour Accept: the same cached answer under the content type each client asked for', async () => {
    const miss = await send(net.gateway.url, { body });
    expect(miss.headers.get('content-type')).toBe(JSON_TYPE);
    const hit = await send(net.gateway.url, { body, accept: 'application/graphql-response+json' });
    expect(hit.headers.get('x-infrared-cache')).toBe('hit');
    expect(hit.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
    expect(await hit.text()).toBe(await miss.text());
    // a client that accepts neither type gets what a miss gets from Apollo, not a cached body
    const neither = await send(net.gateway.url, { body, accept: 'text/html' });
    expect(neither.headers.get('x-infrared-cache')).toBeNull();
    expect(neither.status).toBe(406);
  });

  it('pass CSRF prevention: a form-like content type is refused, not served from the cache', async () => {
    await send(net.gateway.url, { body });
    expect((await send(net.gateway.url, { body })).headers.get('x-infrared-cache')).toBe('hit');
    const forged = await send(net.gateway.url, { body, contentType: 'text/plain; x=json' });
    expect(forged.headers.get('x-infrared-cache')).toBeNull();
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/Cross-Site Request Forgery/);
  });
});

describe('Apollo Client 4', () => {
  const client = (uri: string, token?: string) => new ApolloClient({ link: new HttpLink({ uri, headers: token ? { authorization: `Bearer ${token}` } : {} }), cache: new InMemoryCache() });

  it('keeps the UNAUTHENTICATED code of a 401 (it reads the errors of a non-2xx answer only under graphql-response+json)', async () => {
    const error = await client(net.gateway.url, 'not.a.token')
      .query({ query: gql('{ network { id } }') })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps the RATE_LIMITED code of a 429', async () => {
    const error = await client(limited.url)
      .query({ query: gql('{ network { name } }') })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors[0].extensions?.code).toBe('RATE_LIMITED');
  });
});
