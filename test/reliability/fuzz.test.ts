/**
 * Malformed HTTP and GraphQL input, sent as raw bytes to the gateway and to a member subgraph:
 * every one gets a 4xx (never a 5xx, never a hang), and the server keeps answering afterwards.
 * Then a few hundred bodies from a seeded PRNG mixing the same ingredients.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { mulberry32, rawRequest, type RawAnswer } from './support';

type Target = 'gateway' | 'member';
interface Attempt {
  method?: string;
  /** Path and query string; default `/graphql`. */
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const SERVICES = '{ services { id } }';
const json = (value: unknown): Attempt => ({ headers: JSON_TYPE, body: JSON.stringify(value) });
const deepQuery = (levels: number) => `{ ${'services { member { '.repeat(levels)}id${' } }'.repeat(levels)} }`;
const nestedObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]);

const CASES: [string, Attempt][] = [
  ['invalid JSON', { headers: JSON_TYPE, body: '{"query": "{ services { id } }"' }],
  ['JSON with a trailing comma', { headers: JSON_TYPE, body: '{"query": "{ services { id } }",}' }],
  ['JSON that is a number', { headers: JSON_TYPE, body: '42' }],
  ['JSON that is a string', { headers: JSON_TYPE, body: JSON.stringify(SERVICES) }],
  ['JSON that is null', { headers: JSON_TYPE, body: 'null' }],
  ['JSON that is true', { headers: JSON_TYPE, body: 'true' }],
  ['JSON that is an empty array', { headers: JSON_TYPE, body: '[]' }],
  ['JSON that is an array of queries', json([{ query: SERVICES }, { query: SERVICES }])],
  ['an empty JSON object', json({})],
  ['query that is a number', json({ query: 42 })],
  ['query that is a list', json({ query: [SERVICES] })],
  ['query that is an object', json({ query: { services: true } })],
  ['query that is null', json({ query: null })],
  ['query that is an empty string', json({ query: '' })],
  ['query that is not GraphQL', json({ query: 'SELECT * FROM services' })],
  ['variables that are a string', json({ query: SERVICES, variables: '{}' })],
  ['variables that are a list', json({ query: SERVICES, variables: [1, 2] })],
  ['variables that are a number', json({ query: SERVICES, variables: 7 })],
  ['operationName that is a number', json({ query: SERVICES, operationName: 3 })],
  ['extensions that are a string', json({ query: SERVICES, extensions: 'x' })],
  ['an Int variable given a string', json({ query: 'query($n: Int) { services(limit: $n) { id } }', variables: { n: 'many' } })],
  ['an Int variable given a 150 KB string', json({ query: 'query($n: Int) { services(limit: $n) { id } }', variables: { n: 'x'.repeat(150_000) } })],
  ['an input-object variable given a number', json({ query: 'query($f: ServiceFilter) { services(filter: $f) { id } }', variables: { f: 5 } })],
  ['a non-null variable left out', json({ query: 'query($id: ID!) { service(id: $id) { id } }', variables: {} })],
  ['an enum variable given an unknown value', json({ query: 'query($f: ServiceFilter) { services(filter: $f) { id } }', variables: { f: { kinds: ['TELEPORTATION'] } } })],
  ['10,000 levels of [ (unterminated)', { headers: JSON_TYPE, body: '['.repeat(10_000) }],
  ['10,000 levels of [ ] (balanced)', { headers: JSON_TYPE, body: '['.repeat(10_000) + ']'.repeat(10_000) }],
  ['an input-object variable 10,000 levels deep', { headers: JSON_TYPE, body: `{"query":"query($f: ServiceFilter) { services(filter: $f) { id } }","variables":{"f":${nestedObject(10_000)}}}` }],
  ['10,000 unclosed braces in the query', json({ query: '{ a '.repeat(10_000) })],
  ['invalid UTF-8 inside the query string', { headers: JSON_TYPE, body: Buffer.concat([Buffer.from('{"query":"{ services { id '), INVALID_UTF8, Buffer.from(' } }"}')]) }],
  ['invalid UTF-8 as the whole body', { headers: JSON_TYPE, body: INVALID_UTF8 }],
  ['a NUL byte in the query', json({ query: '{ services\u0000 { id } }' })],
  ['an empty body', { headers: JSON_TYPE, body: '' }],
  ['an empty body without a content type', { headers: {}, body: '' }],
  ['an unknown content type', { headers: { 'content-type': 'application/x-infrared' }, body: JSON.stringify({ query: SERVICES }) }],
  ['text/plain (a CSRF-able simple request)', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: SERVICES }) }],
  ['form-encoded', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(SERVICES)}` }],
  ['multipart without a boundary', { headers: { 'content-type': 'multipart/form-data' }, body: '--x\r\n\r\n' }],
  ['GET without preflight headers (CSRF)', { method: 'GET', path: `/graphql?query=${encodeURIComponent(SERVICES)}`, headers: {} }],
  ['GET with bad percent-encoding', { method: 'GET', path: '/graphql?query=%7B%zz%%%', headers: PREFLIGHT }],
  ['GET with variables that are not JSON', { method: 'GET', path: `/graphql?query=${encodeURIComponent('query($n: Int) { services(limit: $n) { id } }')}&variables=%7Bnope`, headers: PREFLIGHT }],
  ['GET with extensions that are not JSON', { method: 'GET', path: `/graphql?query=${encodeURIComponent(SERVICES)}&extensions=%5B`, headers: PREFLIGHT }],
  ['GET with the query given twice', { method: 'GET', path: `/graphql?query=${encodeURIComponent(SERVICES)}&query=${encodeURIComponent(SERVICES)}`, headers: PREFLIGHT }],
  ['GET with no query at all', { method: 'GET', path: '/graphql?', headers: PREFLIGHT }],
  ['a mutation over GET', { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { removeService(id: "x") }')}`, headers: PREFLIGHT }],
  ['PUT', { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ query: SERVICES }) }],
  ['DELETE', { method: 'DELETE', headers: JSON_TYPE }],
];

/**
 * Refused by the gateway's depth limit. Not sent to a member: member subgraphs have no depth or
 * cost limit of their own and answer this with a 200 after seconds of sequential loads.
 */
const GATEWAY_ONLY: [string, Attempt][] = [['a selection 300 levels deep', json({ query: deepQuery(150) })]];

/** Odd but harmless: answered normally. */
const ACCEPTED: [string, Attempt][] = [
  ['an undeclared variable 10,000 levels deep (ignored)', { headers: JSON_TYPE, body: `{"query":"{ services { id } }","variables":{"x":${nestedObject(10_000)}}}` }],
  ['unknown top-level keys', json({ query: SERVICES, persisted: true, foo: [1, 2, 3] })],
  ['a charset in the content type', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ query: SERVICES }) }],
];

describe('fuzzing HTTP and GraphQL input', () => {
  let net: TestNetwork;
  const url = (target: Target) => (target === 'gateway' ? net.gateway.url : net.members.get('alpha')!.url);

  beforeAll(async () => {
    net = await TestNetwork.start([ringMembers(['alpha', 'beta'])[0]], { rateLimitPoints: 1_000_000, responseCacheTtlSeconds: 0 });
  });
  afterAll(() => net?.stop());

  const send = (target: Target, a: Attempt): Promise<RawAnswer> => rawRequest(url(target), { method: a.method ?? 'POST', path: a.path, headers: a.headers ?? {}, body: a.body, timeoutMs: 5000 });

  /** A normal query still gets a normal answer. */
  async function expectStillServing(target: Target): Promise<void> {
    const res = await send(target, json({ query: SERVICES }));
    expect(res.status).toBe(200);
    expect(res.json.data.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub']);
  }

  describe.each<Target>(['gateway', 'member'])('%s', (target) => {
    it.each(target === 'gateway' ? [...CASES, ...GATEWAY_ONLY] : CASES)('answers %s with a 4xx', async (_name, attempt) => {
      const res = await send(target, attempt);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.json?.errors?.[0]?.message).toEqual(expect.any(String));
      await expectStillServing(target);
    });

    it.each(ACCEPTED)('answers %s with a 200', async (_name, attempt) => {
      const res = await send(target, attempt);
      expect(res.status).toBe(200);
      expect(res.json.data.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub']);
    });
  });

  it('survives a few hundred random bodies from a seeded PRNG (seed 20261126)', async () => {
    const seed = 20261126;
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const int = (n: number) => Math.floor(random() * n);
    const queries = [
      SERVICES,
      '{ services(limit: $n) { id } }',
      'query($n: Int) { services(limit: $n) { id } }',
      '{',
      '}',
      'mutation { removeService(id: "x") }',
      '{ __schema { types { name } } }',
      deepQuery(8),
      '{ a: services { id } b: services { id } }',
      'query Q { network { id } }',
      '',
      '\u0000',
    ];
    const scalars: unknown[] = [null, true, false, 0, -1, 1e308, 3.5, '', 'x', 'x'.repeat(2000), [], {}, [null], { n: 1 }, { n: 'x' }];
    const fragments = ['{', '}', '[', ']', '"', ':', ',', '"query"', '"variables"', 'null', '1e999', '-', '\\u0000', '\\ud800', 'true', JSON.stringify(SERVICES), ' ', '\n'];
    const contentTypes = ['application/json', 'application/json; charset=utf-8', 'application/graphql-response+json', 'text/plain', 'application/x-unknown', '', 'application/json; charset=latin1'];
    const value = (depth: number): unknown => {
      if (depth > 3 || random() < 0.5) return pick(scalars);
      return random() < 0.5
        ? Array.from({ length: int(4) }, () => value(depth + 1))
        : Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['query', 'variables', 'n', 'operationName', 'extensions', 'x']), value(depth + 1)]));
    };
    const body = (): Buffer | string => {
      switch (int(6)) {
        case 0: // a GraphQL request with fields of random types
          return JSON.stringify({ query: random() < 0.6 ? pick(queries) : value(0), variables: random() < 0.5 ? value(0) : undefined, operationName: random() < 0.2 ? value(1) : undefined });
        case 1: // a random JSON value
          return JSON.stringify(value(0)) ?? '';
        case 2: // a run of JSON punctuation and tokens
          return Array.from({ length: 1 + int(40) }, () => pick(fragments)).join('');
        case 3: {
          // a valid request cut at a random byte
          const whole = JSON.stringify({ query: pick(queries), variables: { n: int(5) } });
          return whole.slice(0, int(whole.length));
        }
        case 4: // random bytes
          return Buffer.from(Array.from({ length: int(200) }, () => int(256)));
        default: {
          // deep nesting
          const n = 100 + int(5000);
          return random() < 0.5 ? '['.repeat(n) + (random() < 0.5 ? ']'.repeat(n) : '') : `{"query":"${SERVICES}","variables":{"n":${nestedObject(n)}}}`;
        }
      }
    };
    const attempts: { target: Target; attempt: Attempt }[] = Array.from({ length: 300 }, () => {
      const type = pick(contentTypes);
      const attempt: Attempt =
        random() < 0.1
          ? {
              method: 'GET',
              path: `/graphql?${pick(['query', 'variables', 'extensions', 'operationName', '%', ''])}=${encodeURIComponent(String(body()).slice(0, 300))}`,
              headers: random() < 0.7 ? PREFLIGHT : {},
            }
          : { method: 'POST', headers: type ? { 'content-type': type } : {}, body: body() };
      return { target: random() < 0.5 ? 'gateway' : 'member', attempt };
    });

    const seen = new Map<number, number>();
    for (let i = 0; i < attempts.length; i += 10) {
      const batch = attempts.slice(i, i + 10);
      const answers = await Promise.all(batch.map(({ target, attempt }) => send(target, attempt).catch((err: Error) => ({ status: -1, text: err.message }) as RawAnswer)));
      answers.forEach((res, j) => {
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        if (res.status < 200 || res.status >= 500)
          throw new Error(`seed ${seed}, attempt ${i + j} (${batch[j].target}): HTTP ${res.status} ${res.text.slice(0, 200)}\n${JSON.stringify(batch[j].attempt).slice(0, 500)}`);
        if (res.status !== 200) expect(res.status).toBeGreaterThanOrEqual(400);
      });
    }
    // mostly refusals, and the servers still answer properly
    expect([...seen.keys()].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true);
    expect([...seen].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(150);
    await expectStillServing('gateway');
    await expectStillServing('member');
  });
});
