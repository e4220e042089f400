/**
 * HTTP caching for pollers, over real HTTP: GET queries (with Apollo's CSRF preflight header),
 * a weak ETag on complete PUBLIC answers and 304 on `If-None-Match`; private answers, POST and
 * partial answers stay `no-store` with no tag; mutations never run by GET.
 */
import { createHash } from 'node:crypto';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

const QUERY = '{ services(filter: { kinds: [EMAIL] }) { id name visibility } }';

describe('HTTP caching (GET, ETag, If-None-Match)', () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(), { responseCacheTtlSeconds: 60 });
  });
  afterAll(() => net?.stop());

  const get = async (query: string, headers: Record<string, string> = {}) => {
    const url = new URL(net.gateway.url);
    url.searchParams.set('query', query);
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  it('answers an anonymous GET with a weak ETag and revalidation rules, and 304 with no body when it still holds', async () => {
    const first = await get(QUERY);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).data.services.length).toBeGreaterThan(0);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(first.headers.get('vary')).toMatch(/authorization/);
    // from the complete-answer path, then from the response cache: both revalidate the same tag
    for (let i = 0; i < 2; i++) {
      const again = await get(QUERY, { 'if-none-match': etag! });
      expect([again.status, again.text]).toEqual([304, '']);
      expect(again.headers.get('etag')).toBe(etag);
    }
    const hit = await get(QUERY);
    expect(hit.headers.get('x-infrared-cache')).toBe('hit');
    expect(hit.headers.get('etag')).toBe(etag);
    // another tag does not match: the full answer comes back
    const other = await get(QUERY, { 'if-none-match': 'W/"something-else"' });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).toBe(etag);
  });

  it('a persisted query (its hash only, by GET) is tagged and revalidated the same way', async () => {
    const text = '{ projects { id name } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(text).digest('hex') } });
    const persisted = (headers: Record<string, string> = {}, withText = false) => {
      const url = new URL(net.gateway.url);
      url.searchParams.set('extensions', extensions);
      if (withText) url.searchParams.set('query', text);
      return fetch(url, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    };
    expect(await (await persisted()).json()).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    const registered = await persisted({}, true); // the hash with its text, once
    expect(registered.status).toBe(200);
    const byHash = await persisted();
    expect(byHash.status).toBe(200);
    const etag = byHash.headers.get('etag')!;
    expect(etag).toBe(registered.headers.get('etag'));
    const again = await persisted({ 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('a change to the data gives a new tag: the old one answers 200 with the new data', async () => {
    const before = await get(QUERY);
    const etag = before.headers.get('etag')!;
    const writer = await net.token('alpha', { scopes: ['read', 'write'] });
    const { body } = await net.query('mutation { updateService(id: "alpha:pub", patch: { name: "Renamed for pollers" }) { version } }', { token: writer });
    expect(body.errors).toBeUndefined();
    const after = await get(QUERY, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.text).toContain('Renamed for pollers');
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('private answers stay no-store with no tag, and never answer 304, even to a public tag', async () => {
    const publicTag = (await get(QUERY)).headers.get('etag')!;
    const token = await net.token('beta');
    const res = await get(QUERY, { authorization: `Bearer ${token}`, 'if-none-match': publicTag });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
    // beta sees alpha's MEMBERS service shared with it: the private answer holds more than the public one
    expect(JSON.parse(res.text).data.services.map((s: { id: string }) => s.id)).toContain('alpha:mem');
  });

  it('POST answers carry no tag', async () => {
    const res = await fetch(net.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps CSRF prevention on GET, and never runs a mutation by GET', async () => {
    const url = new URL(net.gateway.url);
    url.searchParams.set('query', QUERY);
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    expect(simple.headers.get('etag')).toBeNull();
    const writer = await net.token('alpha', { scopes: ['read', 'write'] });
    const mutation = await get('mutation { updateService(id: "alpha:pub", patch: { name: "Changed by GET" }) { version } }', { authorization: `Bearer ${writer}` });
    expect(mutation.status).toBe(405);
    expect((await get(QUERY)).text).not.toContain('Changed by GET');
  });

  it('an answer with an error, or with a member missing, is no-store with no tag', async () => {
    const broken = await get('{ services { id nope } }');
    expect(broken.headers.get('etag')).toBeNull();
    expect(broken.headers.get('cache-control')).toBe('no-store');
    await net.members.get('gamma')!.stop();
    const partial = await get('{ services { id } }');
    expect(partial.status).toBe(200);
    expect(JSON.parse(partial.text).errors?.[0].extensions.code).toBe('MEMBER_UNAVAILABLE');
    expect(partial.headers.get('etag')).toBeNull();
    expect(partial.headers.get('cache-control')).toBe('no-store');
  });
});
