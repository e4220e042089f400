/**
 * Persisted operations: automatic persisted queries (hash first, text once), a list of known
 * operations, and a mode that accepts only those, refusing every other text before parsing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gateway } from '../../gateway/src/app';
import { resolveGatewayConfig } from '../../gateway/src/config';
import { normalizeOperationText, OperationTextNormalizer } from '../../gateway/src/planning/normalize';
import { readPersistedOperations, sha256Hex } from '../../gateway/src/planning/persisted-operations';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { gatewayOver } from './gateway-over';
import { fakeMember, healthyAnswer, rawRequest, type FakeMember } from './support';

const KNOWN = 'query Services { services { id } }';
const UNKNOWN = '{ services { id name } }';
let net: TestNetwork;
let counter: FakeMember;
let manifest: string;
const gateways: Gateway[] = [];

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { rateLimitPoints: 1_000_000 });
  counter = await fakeMember(healthyAnswer());
  manifest = join(net.dir, 'operations.json');
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256Hex(KNOWN), name: 'Services', type: 'query', body: KNOWN }] }));
});
afterAll(async () => {
  for (const g of gateways) await g.stop({ drainTimeoutMs: 100 });
  await counter?.close();
  await net?.stop();
});

async function gateway(options: Record<string, unknown> = {}): Promise<Gateway> {
  const g = await gatewayOver(net, { real: ['alpha', 'beta'], extra: [{ id: 'counter', url: counter.url }], options });
  gateways.push(g);
  return g;
}

const send = (g: Gateway, body: unknown) => rawRequest(g.url, { body: JSON.stringify(body) });
const byHash = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } });
const ids = (json: any) => (json.data?.services ?? []).map((s: { id: string }) => s.id).sort();

describe('automatic persisted queries', () => {
  it('serves a hash once its text was sent, and says PERSISTED_QUERY_NOT_FOUND before', async () => {
    const g = await gateway();
    const first = await send(g, byHash(UNKNOWN));
    expect(first.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send(g, { query: UNKNOWN, ...byHash(UNKNOWN) })).status).toBe(200);
    const again = await send(g, byHash(UNKNOWN));
    expect(again.status).toBe(200);
    expect(ids(again.json)).toEqual(['alpha:pub', 'beta:pub']);
  });

  it('knows the operations of the list by hash from the start, by POST and by GET', async () => {
    const g = await gateway({ persistedOperationsFile: manifest });
    const post = await send(g, { operationName: 'Services', ...byHash(KNOWN) });
    expect(post.status).toBe(200);
    expect(ids(post.json)).toEqual(['alpha:pub', 'beta:pub']);
    const params = new URLSearchParams({ operationName: 'Services', extensions: JSON.stringify(byHash(KNOWN).extensions) });
    const get = await rawRequest(g.url, { method: 'GET', path: `/graphql?${params}`, headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(ids(get.json)).toEqual(['alpha:pub', 'beta:pub']);
    // other operations still run
    expect((await send(g, { query: UNKNOWN })).status).toBe(200);
  });
});

describe('only known operations', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await gateway({ persistedOperationsFile: manifest, onlyPersistedOperations: true });
  });

  it('serves a known operation by hash or by its exact text', async () => {
    for (const body of [{ operationName: 'Services', ...byHash(KNOWN) }, { query: KNOWN }]) {
      const res = await send(g, body);
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(['alpha:pub', 'beta:pub']);
    }
  });

  it('refuses any other text or hash with 400 PERSISTED_QUERY_NOT_ALLOWED, and calls no member', async () => {
    const before = counter.dataCalls();
    for (const body of [{ query: UNKNOWN }, { query: UNKNOWN, ...byHash(UNKNOWN) }, byHash(UNKNOWN), { query: `${KNOWN} ` }]) {
      const res = await send(g, body);
      expect(res.status).toBe(400);
      expect(res.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect(res.json.data).toBeUndefined();
    }
    const get = await rawRequest(g.url, { method: 'GET', path: `/graphql?query=${encodeURIComponent(UNKNOWN)}`, headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(400);
    expect(get.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    // a hash registered by a caller is not learned either
    expect((await send(g, byHash(UNKNOWN))).json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(counter.dataCalls()).toBe(before);
  });

  it('with a response cache: serves the known text again from the cache, and refuses an unknown text every time', async () => {
    const cached = await gateway({ persistedOperationsFile: manifest, onlyPersistedOperations: true, responseCacheTtlSeconds: 60 });
    const hit = (res: Awaited<ReturnType<typeof send>>) => res.headers['x-infrared-cache'];
    expect(hit(await send(cached, { query: KNOWN }))).toBeUndefined();
    const again = await send(cached, { query: KNOWN });
    expect(hit(again)).toBe('hit');
    expect(ids(again.json)).toEqual(['alpha:pub', 'beta:pub']);
    for (let i = 0; i < 3; i++) {
      const refused = await send(cached, { query: UNKNOWN });
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect(hit(refused)).toBeUndefined();
    }
  });
});

describe('settings and files', () => {
  it('needs a list to accept only known operations', () => {
    expect(() => resolveGatewayConfig({ registryFile: 'x.yaml', onlyPersistedOperations: true }, {})).toThrow(/onlyPersistedOperations .*needs persistedOperationsFile/);
  });

  it('refuses a list whose ids are not the SHA-256 of their operations', () => {
    const bad = join(net.dir, 'bad-operations.json');
    writeFileSync(bad, JSON.stringify({ [sha256Hex('{ a }')]: '{ b }' }));
    expect(() => readPersistedOperations(bad)).toThrow(/is not the SHA-256 of its operation/);
    writeFileSync(bad, '[1, 2]');
    expect(() => readPersistedOperations(bad)).toThrow(/expected an Apollo persisted query manifest/);
  });
});

describe('normalized texts', () => {
  it('gives the same operation written differently one text, so it is parsed and planned once', () => {
    const a = { query: '{ services { id name } }' };
    const b = { query: '# a comment\nquery {\n  services {\n    id,\n    name\n  }\n}\n' };
    normalizeOperationText(a, 2000);
    normalizeOperationText(b, 2000);
    expect(a.query).toBe('{services{id name}}');
    expect(b.query).toBe('query{services{id name}}');
    const c = { query: '{\n services { id  name } }' };
    normalizeOperationText(c, 2000);
    expect(c.query).toBe(a.query);
    // a hash-carrying request keeps its exact text (the hash is of it); a syntax error is left as sent
    const hashed = { query: '{ services { id } }', extensions: { persistedQuery: {} } };
    normalizeOperationText(hashed, 2000);
    expect(hashed.query).toBe('{ services { id } }');
    const broken = { query: '{ services { id ' };
    normalizeOperationText(broken, 2000);
    expect(broken.query).toBe('{ services { id ');
  });

  it('remembers each text it normalized, with the same results, within its byte budget', () => {
    const normalizer = new OperationTextNormalizer(2000, 4096);
    const texts = ['{ services { id name } }', '{ services { id ', '{services{id name}}', '# c\n{ projects { id } }'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const memoized = { query: text };
        const direct = { query: text };
        normalizer.apply(memoized);
        normalizeOperationText(direct, 2000);
        expect(memoized.query).toBe(direct.query);
      }
    }
    expect(normalizer.computed).toBe(texts.length);
    // a hash-carrying request is never rewritten, memo or not
    const hashed = { query: '{ services { id name } }', extensions: { persistedQuery: {} } };
    normalizer.apply(hashed);
    expect(hashed.query).toBe('{ services { id name } }');
    // the budget holds: many new texts push the oldest out, and they are computed again
    for (let i = 0; i < 200; i++) normalizer.apply({ query: `{ services(first: ${i}) { id } }` });
    normalizer.apply({ query: texts[0] });
    expect(normalizer.computed).toBe(texts.length + 201);
  });
});
