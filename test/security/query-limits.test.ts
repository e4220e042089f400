/**
 * The overloading checks of graphql-cop, precisely, at the gateway and at members; and the
 * gateway's probe fields never count against a member's alias limit.
 */
import { ID_PROBE } from '../../gateway/src/fanout/operation-plan';
import { PROBE_ALIAS_PREFIX } from '../../common/graphql-limits/probe-aliases';
import { collapseDirectiveErrors } from '../../common/graphql-limits/one-directive-error';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';

let net: TestNetwork;
beforeAll(async () => {
  // the probe test's query is costly by design; the rate limit (charged by cost) is not under test here
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { rateLimitPoints: 1_000_000 });
});
afterAll(() => net?.stop());

const member = () => net.members.get('alpha')!.url;
const aliases = (n: number, field = '__typename') => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const code = (body: any) => body.errors?.[0]?.extensions?.code;

describe('aliases, __typename included', () => {
  it('the gateway allows 15 and refuses 16, whatever the field', async () => {
    expect((await net.query(aliases(15))).body.data!.a14).toBe('Query');
    const over = await net.query(aliases(16));
    expect(over.status).toBe(400);
    expect(code(over.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(code((await net.query(aliases(16, 'network { id }'))).body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('aliases inside fragments count where they are spread', async () => {
    const res = await net.query(
      `{ ...F ...F2 } fragment F on Query { ${Array.from({ length: 8 }, (_, i) => `f${i}: __typename`).join(' ')} } fragment F2 on Query { ${Array.from({ length: 8 }, (_, i) => `g${i}: __typename`).join(' ')} }`,
    );
    expect(code(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a member allows 60 and refuses 61 __typename aliases', async () => {
    expect((await post(member(), aliases(60))).body.data!.a59).toBe('Query');
    expect(code((await post(member(), aliases(61))).body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('gateway probes are not counted at members', () => {
  it('the shared prefix is the one the gateway uses', () => {
    expect(ID_PROBE.startsWith(PROBE_ALIAS_PREFIX)).toBe(true);
  });

  it('a query within the gateway alias limit is answered by every member once the gateway adds its probes', async () => {
    // 15 aliases, each with three nested entity levels: the gateway adds an id probe to each
    const query = `{ ${Array.from({ length: 15 }, (_, i) => `s${i}: services { name capacity { resource service { name capacity { resource } } } }`).join(' ')} }`;
    const res = await net.query(query);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.s14.length).toBeGreaterThan(0);
    expect(Object.values(res.body.extensions!.members).map((m: any) => m.status)).toEqual(['ok', 'ok']);
  });

  it('probe-named aliases sent straight to a member still count unless they are probe-shaped leaves, and cannot be repeated', async () => {
    const objects = `{ ${Array.from({ length: 61 }, (_, i) => `${PROBE_ALIAS_PREFIX}${i}: network { id }`).join(' ')} }`;
    expect(code((await post(member(), objects.replace(/network \{ id \}/g, 'services { id }'))).body)).toBe('GRAPHQL_VALIDATION_FAILED');
    const repeated = `{ services { ${Array.from({ length: 11 }, () => `${PROBE_ALIAS_PREFIX}id: id`).join(' ')} } }`;
    expect(code((await post(member(), repeated)).body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('repeated fields', () => {
  it.each([
    ['gateway', () => net.gateway.url],
    ['member', member],
  ])('%s: ten copies of one field are fine, eleven are refused', async (_n, url) => {
    expect((await post(url(), `{ ${'__typename '.repeat(10)}}`)).body.data).toEqual({ __typename: 'Query' });
    const res = await post(url(), `{ ${'__typename '.repeat(500)}}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
  });
});

describe('directives', () => {
  it.each([
    ['gateway', () => net.gateway.url],
    ['member', member],
  ])('%s: ten unknown, repeated @aa directives get ONE error', async (_n, url) => {
    const res = await post(url(), '{ __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Unknown or repeated directives: @aa', locations: expect.any(Array), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('repeated known directives are one error too, and other validation errors are kept', () => {
    const merged = collapseDirectiveErrors([
      { message: 'The directive "@include" can only be used once at this location.' },
      { message: 'The directive "@include" can only be used once at this location.' },
      { message: 'Unknown directive "@bb".' },
      { message: 'Cannot query field "x" on type "Query".' },
    ]);
    expect(merged.map((e) => e.message)).toEqual(['Unknown or repeated directives: @include, @bb', 'Cannot query field "x" on type "Query".']);
  });
});
