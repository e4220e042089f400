/**
 * Connections through the gateway (issue 18): a page is a stable merge of the members' pages, in
 * member order then each member's order, with opaque cursors that hold each member's position.
 * Walking every page while members change gives no duplicates and no gaps; `totalCount` is the
 * sum of what each member lets the caller see; members that do not answer are reported per page
 * and keep their place.
 */
import { post, TestNetwork, type TestMember } from '../support/network';

const service = (id: string, visibility = 'PUBLIC') => ({ id, name: `Service ${id}`, kind: 'EMAIL', status: 'OPERATIONAL', acceptingUsers: true, visibility });
const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => service(`${prefix}-${i}`));

const members: TestMember[] = [
  { id: 'alpha', data: { services: [...many('a', 5), service('secret', 'OWNER')] } },
  { id: 'beta', data: { services: [] } },
  { id: 'delta', data: { services: many('d', 3) } },
  { id: 'gamma', data: { services: [...many('g', 4), service('net', 'NETWORK')] } },
];

const PAGE = `query($first: Int, $after: String) {
  servicesConnection(first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } totalCount unavailableMembers }
}`;

interface Page {
  edges: { cursor: string; node: { id: string; name: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  unavailableMembers: string[];
}

describe('connections through the gateway', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await TestNetwork.start(members);
  }, 120_000);
  afterAll(() => net?.stop());

  async function page(variables: Record<string, unknown>, token?: string, unavailable: string[] = []): Promise<Page> {
    const { body } = await net.query(PAGE, { variables, token });
    // one MEMBER_UNAVAILABLE per member that did not answer, and nothing else
    expect((body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.member])).toEqual(unavailable.map((m) => ['MEMBER_UNAVAILABLE', m]));
    return body.data!.servicesConnection as Page;
  }

  async function walk(first: number, between?: (pageNo: number) => Promise<void>, token?: string) {
    const ids: string[] = [];
    const pages: Page[] = [];
    let after: string | null = null;
    for (let n = 0; n < 50; n++) {
      const p = await page({ first, after }, token);
      pages.push(p);
      ids.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) return { ids, pages };
      after = p.pageInfo.endCursor;
      await between?.(n);
    }
    throw new Error('the walk did not end');
  }

  it('walks every page in member order, then local id order: the same records as the plain list, once each', async () => {
    const plain = await net.query('{ services { id } }');
    const { ids, pages } = await walk(3);
    expect(ids).toEqual(plain.body.data!.services.map((s: { id: string }) => s.id));
    expect(ids).toEqual(['alpha:a-0', 'alpha:a-1', 'alpha:a-2', 'alpha:a-3', 'alpha:a-4', 'delta:d-0', 'delta:d-1', 'delta:d-2', 'gamma:g-0', 'gamma:g-1', 'gamma:g-2', 'gamma:g-3']);
    expect(pages.map((p) => p.edges.length)).toEqual([3, 3, 3, 3]);
    for (const p of pages) {
      expect(p.totalCount).toBe(12);
      expect(p.unavailableMembers).toEqual([]);
    }
  });

  it('counts what each member lets the caller see: more for a member of the network, the owner its own', async () => {
    expect((await page({ first: 1 }, await net.token('alpha'))).totalCount).toBe(14); // + alpha:secret (owner), gamma:net (NETWORK)
    expect((await page({ first: 1 }, await net.token('beta'))).totalCount).toBe(13); // + gamma:net
  });

  it('continues from any edge cursor, and gives opaque cursors (no member position in clear)', async () => {
    const first = await page({ first: 6 });
    expect(first.edges.map((e) => e.node.id)).toEqual(['alpha:a-0', 'alpha:a-1', 'alpha:a-2', 'alpha:a-3', 'alpha:a-4', 'delta:d-0']);
    const fromMiddle = await page({ first: 3, after: first.edges[3].cursor });
    expect(fromMiddle.edges.map((e) => e.node.id)).toEqual(['alpha:a-4', 'delta:d-0', 'delta:d-1']);
    for (const e of first.edges) expect(e.cursor).not.toMatch(/alpha|a-\d/);
  });

  it('keeps aliases and fragments of the caller, and answers __typename', async () => {
    const { body } = await net.query(`{
      c: servicesConnection(first: 2, filter: { members: ["gamma"] }) { __typename total: totalCount info: pageInfo { more: hasNextPage } items: edges { ...E } }
    }
    fragment E on ServiceEdge { at: cursor n: node { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.c.__typename).toBe('ServiceConnection');
    expect(body.data!.c.total).toBe(4);
    expect(body.data!.c.info).toEqual({ more: true });
    expect(body.data!.c.items.map((e: { n: { id: string } }) => e.n.id)).toEqual(['gamma:g-0', 'gamma:g-1']);
    expect(typeof body.data!.c.items[0].at).toBe('string');
    expect(Object.keys(body.extensions!.members)).toEqual(['gamma']);
  });

  it('resolves member fields of the nodes through the network subgraph', async () => {
    const { body } = await net.query('{ servicesConnection(first: 2, filter: { members: ["delta"] }) { edges { node { id member { id name } } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.servicesConnection.edges[0].node.member).toEqual({ id: 'delta', name: 'Member delta' });
  });

  it.each([
    ['first above the cap', { first: 1001 }, /first: from 0 to 1000/],
    ['a negative first', { first: -5 }, /first: from 0 to 1000/],
    ['an after that is not a gateway cursor', { after: 'WyJhLTAiXQ' }, /after: not a cursor of servicesConnection/],
    ['a gateway cursor of another connection', { after: `n1.${Buffer.from(JSON.stringify({ f: 'incidentsConnection', d: '', p: [] })).toString('base64url')}` }, /not a cursor of servicesConnection/],
    ['a cursor with a forged member id', { after: `n1.${Buffer.from(JSON.stringify({ f: 'servicesConnection', d: 'alpha', p: [['Zeta!', null]] })).toString('base64url')}` }, /not a cursor/],
    [
      'a cursor with a member position that is not a cursor',
      { after: `n1.${Buffer.from(JSON.stringify({ f: 'servicesConnection', d: 'alpha', p: [['alpha', "'; drop table service; --"]] })).toString('base64url')}` },
      /not a cursor/,
    ],
  ])('refuses %s with BAD_USER_INPUT and asks no member', async (_name, variables, message) => {
    const { body } = await net.query(PAGE, { variables });
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0].message).toMatch(message);
    expect(body.extensions?.members ?? {}).toEqual({});
  });

  it('has no duplicates and no gaps when records are added and removed between pages', async () => {
    const writer = async (member: string) => net.token(member, { scopes: ['read', 'write'] });
    const upsert = async (member: string, id: string) => {
      const { body } = await post(net.gateway.url, 'mutation($s: ServiceInput!) { upsertService(input: $s) { id } }', {
        variables: { s: { ...service(id), visibility: 'PUBLIC' } },
        token: await writer(member),
      });
      expect(body.errors).toBeUndefined();
    };
    const remove = async (member: string, id: string) => {
      const { body } = await post(net.gateway.url, 'mutation($id: ID!) { removeService(id: $id) }', { variables: { id: `${member}:${id}` }, token: await writer(member) });
      expect(body.errors).toBeUndefined();
    };
    const before = new Set((await net.query('{ services { id } }')).body.data!.services.map((s: { id: string }) => s.id) as string[]);
    const removed = new Set<string>();
    const added = new Set<string>();
    const { ids } = await walk(3, async (n) => {
      if (n === 0) {
        // behind the walk (alpha:a-0 was read), and ahead of it (in alpha and in members not reached)
        await remove('alpha', 'a-0');
        await remove('alpha', 'a-4');
        removed.add('alpha:a-4');
        await upsert('alpha', 'a-00'); // sorts before the position: behind the walk
        await upsert('gamma', 'g-9');
        added.add('gamma:g-9');
        await upsert('beta', 'b-1');
        added.add('beta:b-1');
      }
      if (n === 2) {
        await remove('gamma', 'g-1');
        removed.add('gamma:g-1');
        await upsert('delta', 'd-00'); // behind: delta was finished
      }
    });
    expect(new Set(ids).size).toBe(ids.length);
    // every record there from start to end was seen; what was removed before its turn was not; what was added ahead was
    for (const id of before) if (!removed.has(id) && id !== 'alpha:a-0') expect(ids).toContain(id);
    for (const id of removed) expect(ids).not.toContain(id);
    for (const id of added) expect(ids).toContain(id);
    const order = ids.map((id) => id.split(':')[0]);
    expect(order).toEqual([...order].sort());
    // restore the fixture for the other tests
    await remove('alpha', 'a-00');
    await remove('gamma', 'g-9');
    await remove('beta', 'b-1');
    await remove('delta', 'd-00');
    await upsert('alpha', 'a-0');
    await upsert('alpha', 'a-4');
    await upsert('gamma', 'g-1');
  });

  it('reports a member that does not answer on the page, keeps its place, and gives its records once it answers again', async () => {
    const gammaUrl = net.members.get('gamma')!.url;
    const pointGamma = async (url: string) => {
      net.writeRegistry((r) => {
        r.members.find((m: { id: string }) => m.id === 'gamma').url = url;
      });
      await net.reloadRegistry();
    };
    await pointGamma('http://127.0.0.1:9/graphql');
    try {
      const first = await page({ first: 10 }, undefined, ['gamma']);
      // alpha 5, delta 3, and gamma is skipped: reported, counted as unknown
      expect(first.edges.map((e) => e.node.id)).toEqual(['alpha:a-0', 'alpha:a-1', 'alpha:a-2', 'alpha:a-3', 'alpha:a-4', 'delta:d-0', 'delta:d-1', 'delta:d-2']);
      expect(first.unavailableMembers).toEqual(['gamma']);
      expect(first.totalCount).toBe(8);
      expect(first.pageInfo.hasNextPage).toBe(false);
      await pointGamma(gammaUrl);
      const later = await page({ first: 10, after: first.pageInfo.endCursor });
      expect(later.unavailableMembers).toEqual([]);
      expect(later.edges.map((e) => e.node.id)).toEqual(['gamma:g-0', 'gamma:g-1', 'gamma:g-2', 'gamma:g-3']);
      expect(later.pageInfo.hasNextPage).toBe(false);
    } finally {
      await pointGamma(gammaUrl);
    }
  });
});
