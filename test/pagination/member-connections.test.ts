/**
 * A member's own connections (issue 18): keyset pages over real HTTP and PostgreSQL, in the
 * list's documented order, `totalCount` through the one visibility path, a checked `first` and
 * `after`, and the plain lists' cap reported instead of cut silently.
 */
import { callerOf, gqlBody, postRaw, type CallerName } from '../security/support';
import { TestNetwork, type TestMember } from '../support/network';

const pad = (i: number) => String(i).padStart(4, '0');
const service = (id: string, visibility: string) => ({ id, name: `Service ${id}`, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility });
const incident = (id: string, observedAt: string, visibility = 'PUBLIC') => ({
  id,
  kind: 'DDOS',
  severity: 'HIGH',
  status: 'OPEN',
  observedAt,
  summary: { en: id },
  indicators: [],
  visibility,
});

const MANY = 1001;
const members: TestMember[] = [
  {
    id: 'alpha',
    data: {
      services: [
        ...Array.from({ length: 9 }, (_, i) => service(`s-${i}`, 'PUBLIC')),
        service('hidden-1', 'OWNER'),
        service('hidden-2', 'NETWORK'),
        // code-point order: "S-Z" never appears (ids are lowercase); "a.b" < "a_b" < "ab" in C collation
        service('a.b', 'PUBLIC'),
        service('a_b', 'PUBLIC'),
        service('ab', 'PUBLIC'),
      ],
      incidents: [
        incident('old', '2025-01-01T00:00:00.000Z'),
        incident('new-b', '2025-03-01T00:00:00.000Z'),
        incident('new-a', '2025-03-01T00:00:00.000Z'),
        incident('mid', '2025-02-01T00:00:00.000Z'),
        incident('secret', '2025-02-15T00:00:00.000Z', 'OWNER'),
      ],
    },
  },
  { id: 'big', data: { services: Array.from({ length: MANY }, (_, i) => service(`svc-${pad(i)}`, 'PUBLIC')) } },
];

describe('member connections (keyset pages)', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    // lists of 1,000 records through the gateway: a member deadline for a loaded machine, not the 2 s default
    net = await TestNetwork.start(members, { memberDeadlineMs: 15_000, requestBudgetMs: 30_000 });
  }, 120_000);
  afterAll(() => net?.stop());

  async function ask(member: string, query: string, variables: Record<string, unknown> = {}, as?: CallerName) {
    const body = gqlBody(query, variables);
    const headers: Record<string, string> = as ? { 'infrared-assertion': await net.assertion(member, callerOf(as), body) } : {};
    const res = await postRaw(net.members.get(member)!.url, body, headers);
    expect(res.status).toBe(200);
    return res.json as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, any> };
  }

  const PAGE =
    'query($first: Int, $after: String) { servicesConnection(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount unavailableMembers } }';

  async function walk(member: string, first: number, as?: CallerName) {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const json = await ask(member, PAGE, { first, after }, as);
      expect(json.errors).toBeUndefined();
      const page = json.data.servicesConnection;
      expect(page.unavailableMembers).toEqual([]);
      ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (page.edges.length) expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
      if (!page.pageInfo.hasNextPage) return { ids, totalCount: page.totalCount };
      after = page.pageInfo.endCursor;
    }
    throw new Error('the walk did not end');
  }

  it('walks every page in code-point id order, without duplicates, and counts what an anonymous caller may see', async () => {
    const { ids, totalCount } = await walk('alpha', 4);
    const expected = ['a.b', 'a_b', 'ab', ...Array.from({ length: 9 }, (_, i) => `s-${i}`)].map((id) => `alpha:${id}`);
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('shows the owner its hidden records in the same walk, and counts them for the owner only', async () => {
    const owner = await walk('alpha', 5, 'alpha');
    expect(owner.ids).toEqual(expect.arrayContaining(['alpha:hidden-1', 'alpha:hidden-2']));
    expect(owner.totalCount).toBe(14);
    const other = await walk('alpha', 5, 'beta');
    expect(other.ids).toContain('alpha:hidden-2');
    expect(other.ids).not.toContain('alpha:hidden-1');
    expect(other.totalCount).toBe(13);
  });

  it('pages incidents newest first, ties by id, and never shows a hidden one, in content or count', async () => {
    const query = 'query($after: String) { incidentsConnection(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } }';
    const ids: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (;;) {
      const json = await ask('alpha', query, { after });
      expect(json.errors).toBeUndefined();
      const page = json.data.incidentsConnection;
      ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      totalCount = page.totalCount;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toEqual(['alpha:new-a', 'alpha:new-b', 'alpha:mid', 'alpha:old']);
    expect(totalCount).toBe(4);
  });

  it('takes the same filter arguments as the plain list', async () => {
    const json = await ask('alpha', '{ servicesConnection(filter: { text: "s-1" }) { edges { node { id } } totalCount } services(filter: { text: "s-1" }) { id } }');
    expect(json.errors).toBeUndefined();
    expect(json.data.servicesConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(json.data.services.map((s: { id: string }) => s.id));
    expect(json.data.servicesConnection.totalCount).toBe(1);
  });

  it('continues from the cursor of any edge, not only the last', async () => {
    const first = await ask('alpha', PAGE, { first: 6 });
    const edges = first.data.servicesConnection.edges;
    const next = await ask('alpha', PAGE, { first: 2, after: edges[2].cursor });
    expect(next.data.servicesConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([edges[3].node.id, edges[4].node.id]);
  });

  it('answers first: 0 with the count, no edges, and whether records follow', async () => {
    const json = await ask('big', PAGE, { first: 0 });
    expect(json.data.servicesConnection).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null }, totalCount: MANY, unavailableMembers: [] });
  });

  it.each([
    ['first above the cap', { first: 1001 }, /first: from 0 to 1000/],
    ['a negative first', { first: -1 }, /first: from 0 to 1000/],
    ['an after that is not a cursor', { after: 'not a cursor!' }, /after: not a cursor of this list/],
    ['an after of another shape', { after: Buffer.from('[1,2,3]').toString('base64url') }, /after: not a cursor of this list/],
    ['an after with a number for the id', { after: Buffer.from('[7]').toString('base64url') }, /after: not a cursor of this list/],
  ])('refuses %s with a clear BAD_USER_INPUT, not a silent cut', async (_name, variables, message) => {
    const json = await ask('alpha', PAGE, variables);
    expect(json.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(json.errors?.[0].message).toMatch(message);
  });

  it('reports a plain list that its cap cut in extensions.capped, and not one the caller limited', async () => {
    const cut = await ask('big', '{ services { id } some: services(limit: 5000) { id } few: services(limit: 10) { id } }');
    expect(cut.data.services).toHaveLength(1000);
    expect(cut.data.some).toHaveLength(1000);
    expect(cut.data.few).toHaveLength(10);
    expect(cut.extensions?.capped).toEqual({ fields: ['services', 'some'], limit: 1000 });
    const whole = await ask('alpha', '{ services { id } }');
    expect(whole.extensions?.capped).toBeUndefined();
  });

  it('through the gateway, says which member cut which plain list at its cap, in extensions.members', async () => {
    const { body } = await net.query('{ services { id } big: services(limit: 5000) { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.services).toHaveLength(1000 + 12);
    expect(body.data!.big).toHaveLength(1000 + 12);
    expect(body.extensions!.members.big).toEqual(expect.objectContaining({ status: 'ok', capped: ['big', 'services'], limit: 1000 }));
    expect(body.extensions!.members.alpha.capped).toBeUndefined();
    // and the connection pages past it
    const page = await net.query('{ servicesConnection(first: 1, filter: { members: ["big"] }) { totalCount } }');
    expect(page.body.data!.servicesConnection.totalCount).toBe(MANY);
  });

  it('walks past the cap with the connection: every record once', async () => {
    const { ids, totalCount } = await walk('big', 400);
    expect(ids).toHaveLength(MANY);
    expect(new Set(ids).size).toBe(MANY);
    expect(totalCount).toBe(MANY);
  });
});
