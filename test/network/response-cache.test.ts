import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

describe('response cache (PUBLIC answers only)', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(), { responseCacheTtlSeconds: 60 });
  });
  afterAll(() => net.stop());

  const raw = async (query: string, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(net.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { cache: res.headers.get('x-infrared-cache'), body: (await res.json()) as { data: { services: { id: string; visibility: string }[] } } };
  };

  it('serves a repeated anonymous query from the cache', async () => {
    const q = '{ services { id } }';
    const first = await raw(q);
    expect(first.cache).toBeNull();
    const second = await raw(q);
    expect(second.cache).toBe('hit');
    expect(second.body.data).toEqual(first.body.data);
  });

  it('never stores or serves answers for authenticated callers, so MEMBERS and OWNER data cannot leak', async () => {
    const q = '{ services { id visibility } }';
    const alpha = await net.token('alpha');
    const owner = await raw(q, alpha);
    expect(owner.body.data.services.map((s) => s.visibility)).toEqual(expect.arrayContaining(['OWNER', 'MEMBERS', 'NETWORK']));
    const again = await raw(q, alpha);
    expect(again.cache).toBeNull();
    const anonymous = await raw(q);
    expect(anonymous.body.data.services.every((s) => s.visibility === 'PUBLIC')).toBe(true);
    const gamma = await raw(q, await net.token('gamma'));
    expect(gamma.cache).toBeNull();
    expect(gamma.body.data.services.map((s) => s.id)).not.toContain('alpha:own');
    expect(gamma.body.data.services.map((s) => s.id)).not.toContain('alpha:mem');
  });

  it('drops cached answers when a member reports a write', async () => {
    const q = '{ services(filter: { members: ["alpha"] }) { id name } }';
    await raw(q);
    expect((await raw(q)).cache).toBe('hit');
    const token = await net.token('alpha', { scopes: ['read', 'write'] });
    const write = await post(net.gateway.url, 'mutation($s: ServiceInput!) { upsertService(input: $s) { id } }', {
      token,
      variables: { s: { id: 'pub', name: 'Renamed', kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility: 'PUBLIC' } },
    });
    expect(write.body.errors).toBeUndefined();
    const after = await raw(q);
    expect(after.cache).toBeNull();
    expect(after.body.data.services.find((s) => s.id === 'alpha:pub')).toMatchObject({ name: 'Renamed' });
  });

  it('counts hits and misses in /metrics', async () => {
    const text = await (await fetch(net.gateway.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/infrared_gateway_response_cache_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/infrared_gateway_member_calls_total\{member="alpha",outcome="ok"\} [1-9]/);
  });
});
