/**
 * The response cache is dropped by every mutation that reached a member, whatever its outcome,
 * and by nothing a caller can send without reaching one.
 */
import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

let net: TestNetwork;
beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { responseCacheTtlSeconds: 60 });
});
afterAll(() => net?.stop());

const Q = '{ services(filter: { members: ["alpha"] }) { id visibility } }';
const anonymous = async () => {
  const res = await fetch(net.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: Q }) });
  return { cache: res.headers.get('x-infrared-cache'), ids: ((await res.json()) as any).data.services.map((s: { id: string }) => s.id) as string[] };
};
const service = (visibility: string) => ({ id: 'pub', name: 'Public mail', kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility });

describe('cache invalidation on mutation attempts', () => {
  it('a mutation whose first field hid a record and whose second field failed drops the cached PUBLIC answer', async () => {
    await anonymous();
    const cached = await anonymous();
    expect(cached.cache).toBe('hit');
    expect(cached.ids).toContain('alpha:pub');
    const token = await net.token('alpha', { scopes: ['read', 'write'] });
    const write = await post(net.gateway.url, 'mutation($s: ServiceInput!, $c: CapacityInput!) { hide: upsertService(input: $s) { id } broken: reportCapacity(input: $c) { id } }', {
      token,
      variables: { s: service('OWNER'), c: { id: 'x', resource: 'ACCOUNTS', total: 1, used: 5, visibility: 'PUBLIC' } },
    });
    // the second field's non-null type nulls the whole answer, yet the first field's write happened
    expect(write.body.errors?.length).toBeGreaterThan(0);
    const owner = await post(net.gateway.url, '{ service(id: "alpha:pub") { visibility } }', { token });
    expect(owner.body.data!.service).toEqual({ visibility: 'OWNER' });
    const after = await anonymous();
    expect(after.cache).toBeNull();
    expect(after.ids).not.toContain('alpha:pub');
  });

  it('a mutation that failed entirely at the member drops the cache too', async () => {
    await anonymous();
    expect((await anonymous()).cache).toBe('hit');
    const token = await net.token('alpha', { scopes: ['read', 'write'] });
    const write = await post(net.gateway.url, 'mutation($c: CapacityInput!) { reportCapacity(input: $c) { id } }', {
      token,
      variables: { c: { id: 'x', resource: 'ACCOUNTS', total: 1, used: 5, visibility: 'PUBLIC' } },
    });
    expect(write.body.errors?.length).toBeGreaterThan(0);
    expect((await anonymous()).cache).toBeNull();
  });

  it('a mutation refused before any member call (anonymous, invalid) leaves the cache alone', async () => {
    await anonymous();
    expect((await anonymous()).cache).toBe('hit');
    const refused = await post(net.gateway.url, 'mutation { removeService(id: "alpha:pub") }');
    expect(refused.body.errors?.length).toBeGreaterThan(0);
    const invalid = await post(net.gateway.url, 'mutation { removeService(nope: 1) }');
    expect(invalid.status).toBe(400);
    expect((await anonymous()).cache).toBe('hit');
  });
});
