/**
 * Cost-based limits: the fan-out honours filter.members, nested lists multiply the estimate, and
 * the rate limits are charged by cost, per caller and per issuing member.
 */
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { gatewayOver } from './gateway-over';
import { fakeMember, healthyAnswer, rawRequest, type FakeMember } from './support';

let net: TestNetwork;
let counter: FakeMember;
const gateways: Gateway[] = [];

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { rateLimitPoints: 1_000_000 });
  counter = await fakeMember(healthyAnswer());
});
afterAll(async () => {
  for (const g of gateways) await g.stop({ drainTimeoutMs: 100 });
  await counter?.close();
  await net?.stop();
});

async function gateway(options: Record<string, unknown>, extra: { id: string; url: string }[] = [{ id: 'counter', url: counter.url }]): Promise<Gateway> {
  const g = await gatewayOver(net, { real: ['alpha', 'beta'], extra, options });
  gateways.push(g);
  return g;
}

/** `services { member { services { member { … id } } } }`, `levels` lists deep (the shape). */
function nested(levels: number): string {
  let inner = 'services { id name }';
  for (let i = 1; i < levels; i++) inner = `services { id member { id ${inner} } }`;
  return `{ ${inner} }`;
}

describe('operation cost', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await gateway({ maxQueryDepth: 30, maxCost: 1_000_000 });
  });

  it('refuses the nested services { member { services … } } query with 400 COST_LIMIT before any member is called', async () => {
    const before = counter.dataCalls();
    for (const levels of [9, 3]) {
      const { status, body } = await post(g.url, nested(levels));
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors![0].extensions!.code).toBe('COST_LIMIT');
      expect(body.errors![0].message).toMatch(/too expensive: estimated cost \d+ \(limit 10000000\)/);
    }
    expect(counter.dataCalls()).toBe(before);
  });

  it('serves ordinary queries, nesting included, within the ceiling', async () => {
    for (const query of [nested(1), '{ services { id member { id name region } } }', '{ services { id name kind regions languages capacity { id total } } }', '{ members { id projects { id } } }']) {
      const { status, body } = await post(g.url, query);
      expect({ query, status, errors: body.errors }).toEqual({ query, status: 200, errors: undefined });
    }
  });

  it('counts lists at their limit argument', async () => {
    const small = await gateway({ maxOperationCost: 100, costListSize: 1000 });
    expect((await post(small.url, '{ services { id } }')).body.errors![0].extensions!.code).toBe('COST_LIMIT');
    const limited = await post(small.url, '{ services(limit: 20) { id name } }');
    expect(limited.status).toBe(200);
    expect(limited.body.errors).toBeUndefined();
  });
});

describe('fan-out limit and filter.members (a registry of 450 members)', () => {
  let g: Gateway;
  beforeAll(async () => {
    // 448 more members nobody listens for: only the fan-out limit decides what is refused
    const absent = Array.from({ length: 448 }, (_, i) => ({ id: `absent-${i}`, url: 'http://127.0.0.1:9/graphql' }));
    g = await gateway({ healthIntervalMs: 600_000 }, absent);
  });

  it('serves a list filtered to one member', async () => {
    for (const opts of [{ query: '{ services(filter: { members: ["alpha"] }) { id } }' }, { query: 'query($m: [ID!]) { services(filter: { members: $m }) { id } }', variables: { m: ['alpha'] } }]) {
      const { status, body } = await post(g.url, opts.query, { variables: opts.variables });
      expect(status).toBe(200);
      expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub']);
      expect(Object.keys(body.extensions!.members)).toEqual(['alpha']);
    }
  });

  it('refuses the unfiltered list with 400 FANOUT_LIMIT, and ids that are not members do not count', async () => {
    const all = await post(g.url, '{ services { id } }');
    expect(all.status).toBe(400);
    expect(all.body.errors![0].extensions!.code).toBe('FANOUT_LIMIT');
    expect(all.body.errors![0].message).toMatch(/450 member calls \(limit 400\)/);
    const bogus = Array.from({ length: 500 }, (_, i) => `nobody-${i}`);
    const { status, body } = await post(g.url, 'query($m: [ID!]) { services(filter: { members: $m }) { id } }', { variables: { m: ['beta', ...bogus] } });
    expect(status).toBe(200);
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(['beta:pub']);
  });
});

describe('rate limits charged by cost', () => {
  const EXPENSIVE = '{ services { id name } }';
  const CHEAP = '{ network { id } }';

  it('charges an expensive operation more points than a cheap one', async () => {
    // 3 members × 10 items: services 30 + id 30 + name 30 = 90 cost = 9 points at 10 per point
    const g = await gateway({ rateLimitPoints: 30, costPerPoint: 10, costListSize: 10, issuerRateLimitPoints: 100_000 });
    const expensive = await net.token('alpha', { subject: 'expensive' });
    const cheap = await net.token('alpha', { subject: 'cheap' });
    const statuses = async (token: string, query: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await post(g.url, query, { token })).status);
      return out;
    };
    expect(await statuses(expensive, EXPENSIVE, 4)).toEqual([200, 200, 200, 429]);
    expect((await statuses(cheap, CHEAP, 30)).every((s) => s === 200)).toBe(true);
    const refused = await rawRequest(g.url, { headers: { 'content-type': 'application/json', authorization: `Bearer ${cheap}` }, body: JSON.stringify({ query: CHEAP }) });
    expect(refused.status).toBe(429);
    expect(refused.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('a cost refusal says 429 RATE_LIMITED with Retry-After, and nothing is sent to the members', async () => {
    const g = await gateway({ rateLimitPoints: 5, costPerPoint: 10, costListSize: 10, issuerRateLimitPoints: 100_000 });
    const token = await net.token('beta', { subject: 'one-shot' });
    const before = counter.dataCalls();
    const res = await rawRequest(g.url, { headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: EXPENSIVE }) });
    expect(res.status).toBe(429);
    expect(res.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
    expect(counter.dataCalls()).toBe(before);
  });

  it("budgets per issuing member: minting subjects does not multiply a member's budget", async () => {
    const g = await gateway({ rateLimitPoints: 1000, issuerRateLimitPoints: 5 });
    const subjects = await Promise.all(Array.from({ length: 6 }, (_, i) => net.token('alpha', { subject: `minted-${i}` })));
    const statuses = [];
    for (const token of subjects) statuses.push((await post(g.url, CHEAP, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // another member's callers and anonymous callers have budgets of their own
    expect((await post(g.url, CHEAP, { token: await net.token('beta') })).status).toBe(200);
    expect((await post(g.url, CHEAP)).status).toBe(200);
  });
});
