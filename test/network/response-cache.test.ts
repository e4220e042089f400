import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

describe('response cache (PUBLIC answers only)', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(), { responseCacheTtlSeconds: 60 });
  });
  afterAll(() => net.stop());

  const raw = async (query: string, token?: string, extra: Record<string, string> = {}, url = net.gateway.url) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const text = await res.text();
    return {
      status: res.status,
      cache: res.headers.get('x-infrared-cache'),
      body: JSON.parse(text) as { data: { services: { id: string; visibility: string }[] }; errors?: { extensions: { code: string } }[] },
    };
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

  describe('a request whose exact bytes were answered before (served before its body is parsed)', () => {
    it('is a hit for the same bytes, and not for the same bytes under another Accept-Language', async () => {
      const q = '{ services { id name } }';
      expect((await raw(q, undefined, { 'accept-language': 'de' })).cache).toBeNull();
      expect((await raw(q, undefined, { 'accept-language': 'de' })).cache).toBe('hit');
      // the same bytes in another language were never answered: a miss, not the German answer
      expect((await raw(q, undefined, { 'accept-language': 'fr' })).cache).toBeNull();
      expect((await raw(q, undefined, { 'accept-language': 'fr' })).cache).toBe('hit');
    });

    it('never answers the same bytes with a token from the cache, and refuses a bad token as before', async () => {
      const q = '{ services { id visibility } }';
      await raw(q);
      expect((await raw(q)).cache).toBe('hit');
      const alpha = await raw(q, await net.token('alpha'));
      expect(alpha.cache).toBeNull();
      expect(alpha.body.data.services.map((s) => s.visibility)).toContain('OWNER');
      const bad = await raw(q, 'not.a.token');
      expect(bad.status).toBe(401);
      expect(bad.cache).toBeNull();
      // a proof header without a token is refused, not served
      expect((await raw(q, undefined, { dpop: 'x' })).status).toBe(401);
    });

    it('keeps CSRF prevention: the same bytes as a form-like content type are not served from the cache', async () => {
      const q = '{ services { id } }';
      await raw(q);
      expect((await raw(q)).cache).toBe('hit');
      const form = await raw(q, undefined, { 'content-type': 'text/plain' });
      expect(form.cache).toBeNull();
      expect(form.status).toBe(400);
    });

    it('is still charged to the rate limit', async () => {
      let limited: Gateway | undefined;
      try {
        limited = await net.extraGateway({
          responseCacheTtlSeconds: 60,
          rateLimitPoints: 3,
          rateLimitWindowSeconds: 60,
        });
        const q = '{ services { id } }';
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await raw(q, undefined, {}, limited.url));
        expect(answers.map((a) => a.cache)).toEqual([null, 'hit', 'hit', null]);
        expect(answers[3].status).toBe(429);
        expect(answers[3].body.errors?.[0].extensions.code).toBe('RATE_LIMITED');
      } finally {
        await limited?.stop();
      }
    });
  });

  it('counts hits and misses in /metrics', async () => {
    const text = await (await fetch(net.gateway.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/infrared_gateway_response_cache_total\{result="hit"\} [1-9]/);
    // every hit counts as a request too, with its latency
    const q = '{ services { id kind } }';
    await raw(q);
    const count = async () => {
      const metrics = await (await fetch(net.gateway.url.replace('/graphql', '/metrics'))).text();
      const value = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? 0);
      return [
        value(/infrared_gateway_response_cache_total\{result="hit"\} (\d+)/),
        value(/infrared_gateway_requests_total\{operation="anonymous",status="200"\} (\d+)/),
        value(/infrared_gateway_request_seconds_count\{operation="anonymous"\} (\d+)/),
      ];
    };
    const before = await count();
    expect((await raw(q)).cache).toBe('hit');
    expect((await raw(q)).cache).toBe('hit');
    expect((await count()).map((n, i) => n - before[i])).toEqual([2, 2, 2]);
    expect(text).toMatch(/infrared_gateway_member_calls_total\{member="alpha",outcome="ok"\} [1-9]/);
  });
});
