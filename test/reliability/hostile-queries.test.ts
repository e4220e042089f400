/**
 * Hostile queries at the gateway: refused before any member is called. Oversized and batched
 * bodies are refused at the door; callers are rate-limited by token subject, or by IP when
 * anonymous.
 */
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { fakeMember, healthyAnswer, rawRequest, type FakeMember } from './support';

const LIMITS = { maxQueryDepth: 6, maxAliases: 4, maxTokens: 400, maxDirectives: 4, maxFanoutCost: 4, maxRequestBodyBytes: 20_000 };

let net: TestNetwork;
let counter: FakeMember;

beforeAll(async () => {
  // one real member and a fake that counts the queries it is asked
  net = await TestNetwork.start([ringMembers(['alpha', 'beta'])[0]], { ...LIMITS, rateLimitPoints: 100_000, responseCacheTtlSeconds: 0 });
  counter = await fakeMember(healthyAnswer());
  net.addExternalMember({ id: 'counter', url: counter.url });
  await net.reloadRegistry();
  expect(net.gateway.registry.registry.members.map((m) => m.id)).toEqual(['alpha', 'counter']);
});
afterAll(async () => {
  await counter?.close();
  await net?.stop();
});

describe('hostile queries at the gateway', () => {
  it('calls the members for an ordinary query (the counter counts)', async () => {
    const before = counter.dataCalls();
    const { status, body } = await net.query('{ services { id } }');
    expect(status).toBe(200);
    expect(body.extensions!.members).toEqual({ alpha: expect.objectContaining({ status: 'ok' }), counter: expect.objectContaining({ status: 'ok' }) });
    expect(counter.dataCalls()).toBe(before + 1);
  });

  /** `{ services { member { services { … id } } } }`, `levels` fields deep. */
  const nest = (levels: number) => {
    let inner = 'id';
    for (let i = levels - 1; i >= 0; i--) inner = i % 2 === 0 ? `services { ${inner} }` : `member { ${inner} }`;
    return `{ ${inner} }`;
  };
  const fields = ['id', 'name', 'kind', 'status', 'url', 'software', 'regions', 'languages'];

  const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
  it.each<[string, string, RegExp, string]>([
    ['depth over maxQueryDepth', nest(LIMITS.maxQueryDepth + 2), /depth/i, VALIDATION],
    ['too many aliases', `{ services { ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: id`).join(' ')} } }`, /alias/i, VALIDATION],
    ['too many tokens', `{ services { ${Array.from({ length: LIMITS.maxTokens }, () => 'id').join(' ')} } }`, /tokens/i, 'GRAPHQL_PARSE_FAILED'],
    [
      'too many directives',
      `{ services { ${fields
        .slice(0, LIMITS.maxDirectives + 1)
        .map((f) => `${f} @include(if: true)`)
        .join(' ')} } }`,
      /directive/i,
      VALIDATION,
    ],
    ['a fan-out over maxFanoutCost (3 member fields × 2 members)', '{ services { id } projects { id } capacity { id } }', /fans out/i, 'FANOUT_LIMIT'],
    ['the fan-out limit is not dodged with fragments', '{ ...F } fragment F on Query { services { id } projects { id } capacity { id } }', /fans out/i, 'FANOUT_LIMIT'],
    ['a syntax error (a 400, not a 500)', '{ services { id }', /Syntax Error/, 'GRAPHQL_PARSE_FAILED'],
  ])('refuses %s with a 400, before any member is called', async (_name, query, message, code) => {
    const before = counter.dataCalls();
    const { status, body } = await net.query(query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors!.length).toBeGreaterThan(0);
    expect(body.errors![0].extensions?.code).toBe(code);
    expect(body.errors!.map((e) => e.message).join('\n')).toMatch(message);
    expect(counter.dataCalls()).toBe(before);
  });

  it('refuses a batched request (JSON array body)', async () => {
    const before = counter.dataCalls();
    const one = { query: '{ services { id } }' };
    const res = await rawRequest(net.gateway.url, { body: JSON.stringify([one, one, one]) });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/batch/i);
    expect(counter.dataCalls()).toBe(before);
  });

  it.each<[string, (body: string) => Parameters<typeof rawRequest>[1]]>([
    ['with a content-length', (body) => ({ body })],
    ['streamed (chunked, no content-length)', (body) => ({ headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: body.match(/[^]{1,4000}/g)! })],
  ])('answers 413 PAYLOAD_TOO_LARGE to a body over maxRequestBodyBytes, %s', async (_name, shape) => {
    const before = counter.dataCalls();
    const body = JSON.stringify({ query: 'query($t: String) { services(filter: { text: $t }) { id } }', variables: { t: 'x'.repeat(LIMITS.maxRequestBodyBytes) } });
    const res = await rawRequest(net.gateway.url, shape(body));
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(counter.dataCalls()).toBe(before);
    // and the gateway is still fine
    expect((await net.query('{ network { id } }')).status).toBe(200);
  });
});

describe('rate limiting at the gateway', () => {
  let gateway: Gateway;
  const POINTS = 5;

  beforeAll(async () => {
    // a second gateway over the same registry, with a tight limit
    gateway = await net.extraGateway({
      rateLimitPoints: POINTS,
      rateLimitWindowSeconds: 60,
    });
  });
  afterAll(() => gateway?.stop({ drainTimeoutMs: 100 }));

  const VIEWER = '{ viewer { anonymous subject } }';

  it('gives a caller 5 requests a minute, then 429 with Retry-After; another subject is still served', async () => {
    const first = await net.token('alpha', { subject: 'first-caller' });
    const second = await net.token('alpha', { subject: 'second-caller' });
    for (let i = 0; i < POINTS; i++) {
      const { status, body } = await post(gateway.url, VIEWER, { token: first });
      expect(status).toBe(200);
      expect(body.data!.viewer).toEqual({ anonymous: false, subject: 'first-caller' });
    }
    const over = await rawRequest(gateway.url, { headers: { 'content-type': 'application/json', authorization: `Bearer ${first}` }, body: JSON.stringify({ query: VIEWER }) });
    expect(over.status).toBe(429);
    expect(over.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    const retryAfter = Number(over.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const other = await post(gateway.url, VIEWER, { token: second });
    expect(other.status).toBe(200);
    expect(other.body.data!.viewer.subject).toBe('second-caller');
    // still refused: the window has not moved
    expect((await post(gateway.url, VIEWER, { token: first })).status).toBe(429);
  });

  it('keys anonymous callers by IP address (and ignores X-Forwarded-For)', async () => {
    const anon = (localAddress: string, headers: Record<string, string> = {}) =>
      rawRequest(gateway.url, { localAddress, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: VIEWER }) });
    for (let i = 0; i < POINTS; i++) expect((await anon('127.0.0.1')).status).toBe(200);
    const over = await anon('127.0.0.1');
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toMatch(/^\d+$/);
    expect((await anon('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    // another address on the loopback network is another caller
    const elsewhere = await anon('127.0.0.2');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.json.data.viewer).toEqual({ anonymous: true, subject: null });
  });
});
