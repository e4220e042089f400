/**
 * Production by default, at the gateway and at members: no stack traces, no field suggestions,
 * introspection for authenticated callers only, an unknown operationName is the client's error
 * (400), and `durationMs` is rounded. Development mode is opt-in (NODE_ENV=development, --dev).
 */
import { resolveGatewayConfig } from '../../gateway/src/config';
import { resolveMemberConfig } from '../../subgraphs/member/src/config';
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';

let net: TestNetwork;
let devGateway: Gateway;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  devGateway = await net.extraGateway({ responseCacheTtlSeconds: 0, production: false });
});
afterAll(async () => {
  await devGateway?.stop();
  await net?.stop();
});

const member = () => net.members.get('alpha')!.url;
const TYPO = '{ servics { id } }';

describe('settings', () => {
  it('production unless NODE_ENV=development (or an explicit false): gateway and member', () => {
    const gw = (env: Record<string, string>) => resolveGatewayConfig({ registryFile: 'x.yaml' }, env).production;
    const mb = (env: Record<string, string>) => resolveMemberConfig({ memberId: 'alpha' }, env).production;
    for (const read of [gw, mb]) {
      expect(read({})).toBe(true);
      expect(read({ NODE_ENV: 'test' })).toBe(true);
      expect(read({ NODE_ENV: 'production' })).toBe(true);
      expect(read({ NODE_ENV: 'development' })).toBe(false);
    }
    expect(resolveGatewayConfig({ registryFile: 'x.yaml', production: false }, {}).production).toBe(false);
  });

  it('a new member serves NETWORK+ data and writes to proven callers only, unless it opts for asserted', () => {
    expect(resolveMemberConfig({ memberId: 'alpha' }, {}).callerPolicy).toBe('proven');
    expect(resolveMemberConfig({ memberId: 'alpha' }, { NODE_ENV: 'development' }).callerPolicy).toBe('proven');
    expect(resolveMemberConfig({ memberId: 'alpha' }, { INFRARED_CALLER_POLICY: 'asserted' }).callerPolicy).toBe('asserted');
    expect(() => resolveMemberConfig({ memberId: 'alpha' }, { INFRARED_CALLER_POLICY: 'trusting' })).toThrow(/callerPolicy|INFRARED_CALLER_POLICY/);
  });
});

describe('errors in production', () => {
  it.each([
    ['gateway', () => net.gateway.url],
    ['member', member],
  ])('%s: no field suggestions, no stack traces', async (_name, url) => {
    const res = await post(url(), TYPO);
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean|stacktrace|\.ts:|\.js:/);
  });

  it('development mode (opt-in) shows both, so the switch is real', async () => {
    const res = await post(devGateway.url, TYPO);
    expect(JSON.stringify(res.body)).toMatch(/Did you mean/);
    expect(res.body.errors![0].extensions!.stacktrace).toBeDefined();
  });

  it.each([
    ['gateway', () => net.gateway.url],
    ['member', member],
  ])('%s: an unknown operationName is HTTP 400 OPERATION_RESOLUTION_FAILURE', async (_name, url) => {
    const res = await post(url(), '', { rawBody: JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'OPERATION_RESOLUTION_FAILURE' }) })]);
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace/);
    const noName = await post(url(), '', { rawBody: JSON.stringify({ query: 'query A { __typename } query B { __typename }' }) });
    expect(noName.status).toBe(400);
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('is refused to anonymous callers at the gateway and at members, with 400 INTROSPECTION_DISABLED', async () => {
    for (const url of [net.gateway.url, member()]) {
      const res = await post(url, INTROSPECT);
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions!.code).toBe('INTROSPECTION_DISABLED');
    }
    // hidden in a fragment too
    const viaFragment = await post(net.gateway.url, 'query { ...F } fragment F on Query { __type(name: "Service") { name } }');
    expect(viaFragment.body.errors![0].extensions!.code).toBe('INTROSPECTION_DISABLED');
  });

  it('is answered for callers with a token; __typename stays open to all', async () => {
    const res = await net.query(INTROSPECT, { token: await net.token('alpha') });
    expect(res.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await net.query('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('the schema is published as SDL at /schema.graphql', async () => {
    const res = await fetch(net.gateway.url.replace(/\/graphql$/, '/schema.graphql'));
    expect(res.status).toBe(200);
    const sdl = await res.text();
    expect(sdl).toMatch(/type Query \{/);
    expect(sdl).toMatch(/services\(/);
    expect(sdl).not.toMatch(/join__|@link/);
  });
});

describe('extensions.members.<id>.durationMs', () => {
  it('is rounded to 100 ms for anonymous callers and to 10 ms for authenticated ones', async () => {
    const anonymous = new Set<number>();
    const authenticated = new Set<number>();
    const token = await net.token('beta');
    for (let i = 0; i < 5; i++) {
      for (const r of Object.values((await net.query('{ services { id } }')).body.extensions!.members) as { durationMs: number }[]) anonymous.add(r.durationMs);
      for (const r of Object.values((await net.query('{ services { id } }', { token })).body.extensions!.members) as { durationMs: number }[]) authenticated.add(r.durationMs);
    }
    for (const ms of anonymous) expect(ms % 100).toBe(0);
    for (const ms of authenticated) expect(ms % 10).toBe(0);
  });
});
