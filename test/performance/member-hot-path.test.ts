import { parse, type ValidationContext } from 'graphql';
import { ANONYMOUS } from '../../common/caller';
import { findVisible, type NamedOrder } from '../../subgraphs/member/src/access/find-visible';
import { SharedReaderMisuseError, sharedReadEntityManager } from '../../subgraphs/member/src/db/read-entity-manager';
import { preparedReadStats } from '../../subgraphs/member/src/db/prepared-select';
import type { EntityManager } from '@mikro-orm/postgresql';
import { namedOrder } from '../../subgraphs/member/src/modules/shared/list-order';
import { buildMemberSchema } from '../../subgraphs/member/src/graphql/schema';
import { OperationCache } from '../../subgraphs/member/src/graphql/operation-cache';
import { ServiceRecord } from '../../subgraphs/member/src/modules/service/service.entity';
import { serviceWhere } from '../../subgraphs/member/src/modules/service/service.repository';
import type { Caller } from '../../common/caller';
import type { FilterQuery } from '@mikro-orm/core';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';

/**
 * The member's hot path (cached documents, graphql-js without Apollo's per-request pipeline, lean
 * reads) answers exactly what the full Apollo path answers, and sends nothing more.
 */
let net: TestNetwork;
let memberUrl: string;

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
  memberUrl = net.members.get('alpha')!.url;
});
afterAll(async () => {
  await net?.stop();
});

async function raw(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(memberUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text() };
}

// An Accept header the hot path does not negotiate itself: Apollo Server answers it, choosing JSON.
const FULL_PATH = { accept: 'application/json;q=0.9, text/plain;q=0.1' };

describe('member hot path', () => {
  const cases: Record<string, unknown> = {
    'a list': { query: '{ services { id name kind visibility capacity { id total used } } }' },
    'nested localized text': { query: '{ services { id description descriptions { lang text } } projects { id name } }' },
    '_entities with variables': {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id name } ... on Project { id } } }',
      variables: {
        r: [
          { __typename: 'Service', id: 'alpha:pub' },
          { __typename: 'Service', id: 'alpha:own' },
          { __typename: 'Project', id: 'alpha:proj-pub' },
        ],
      },
    },
    'the subgraph SDL': { query: '{ _service { sdl } }' },
    'a named operation among several': { query: 'query A { services { id } } query B { projects { id } }', operationName: 'B' },
    'a syntax error': { query: '{ services { id ' },
    'a validation error': { query: '{ services { idx } }' },
    'too deep': { query: `{ services { ${'member { services { '.repeat(13)}id${' } }'.repeat(13)} } }` },
    'bad variables': { query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: 'nope' } },
    'an unknown operation name': { query: 'query A { services { id } }', operationName: 'Nope' },
  };
  it.each(Object.entries(cases))('answers %s exactly as the full path does', async (_name, body) => {
    const full = await raw(body, FULL_PATH);
    for (let i = 0; i < 2; i++) {
      const fast = await raw(body); // the second time from the operation cache
      expect(fast).toEqual(full);
    }
  });

  it("answers the gateway's Accept header with graphql-response+json, as Apollo does", async () => {
    const res = await raw({ query: '{ services { id } }' }, { accept: 'application/graphql-response+json, application/json' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/graphql-response+json; charset=utf-8');
  });

  it('never sends federated inline traces (field timings) to a caller who asks for them', async () => {
    const res = await raw({ query: '{ services { id } }' }, { 'apollo-federation-include-trace': 'ftv1' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).extensions).toBeUndefined();
    const full = await raw({ query: '{ services { id } }' }, { ...FULL_PATH, 'apollo-federation-include-trace': 'ftv1' });
    expect(JSON.parse(full.text).extensions).toBeUndefined();
  });

  it('hides the same records on the hot path as on the full path, for anonymous callers', async () => {
    const fast = JSON.parse((await raw({ query: '{ services { id } }' })).text);
    expect(fast.data.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub']);
  });
});

describe('operation cache', () => {
  const { schema } = buildMemberSchema();
  const counting = () => {
    const seen = { validations: 0 };
    const rule = (_ctx: ValidationContext) => ({ Document: { enter: () => void seen.validations++ } });
    return { seen, rule };
  };

  it('parses and validates an operation text once', () => {
    const { seen, rule } = counting();
    const cache = new OperationCache({ schema, validationRules: [rule], parseOptions: {} });
    const a = cache.check('{ services { id } }');
    const b = cache.check('{ services { id } }');
    expect(a.document).toBeDefined();
    expect(b.document).toBe(a.document);
    expect(seen.validations).toBe(1);
  });

  it('remembers a refused text with its errors, so a repeated bad query costs a lookup', () => {
    const { seen, rule } = counting();
    const cache = new OperationCache({ schema, validationRules: [rule], parseOptions: {} });
    for (let i = 0; i < 3; i++) {
      const checked = cache.check('{ services { nope } }');
      expect(checked.document).toBeUndefined();
      expect(checked.errors?.[0].message).toContain('nope');
    }
    expect(seen.validations).toBe(1);
    expect(cache.check('{ services {').errors).toHaveLength(1);
  });

  it('is bounded in entries and keeps no over-long text', () => {
    const { seen, rule } = counting();
    const cache = new OperationCache({ schema, validationRules: [rule], parseOptions: {}, maxDocuments: 3, maxQueryLength: 100 });
    for (let i = 0; i < 10; i++) cache.check(`query Q${i} { services { id } }`);
    expect(cache.size).toBe(3);
    const long = `query ${'L'.repeat(120)} { services { id } }`;
    cache.check(long);
    cache.check(long);
    expect(seen.validations).toBe(12);
    expect(cache.size).toBe(3);
  });

  it('enforces the parser token limit it is given', () => {
    const cache = new OperationCache({ schema, validationRules: [], parseOptions: { maxTokens: 20 } });
    expect(cache.check(`{ ${'services { id } '.repeat(10)} }`).errors?.[0].message).toMatch(/more that 20 tokens/);
    expect(() => parse('{ services { id } }', { maxTokens: 20 })).not.toThrow();
  });
});

describe('lean reads', () => {
  it('findVisible returns plain rows and leaves nothing in the identity map', async () => {
    const em = net.orms.get('alpha')!.em.fork();
    const rows = await findVisible(em, ServiceRecord, { owner: 'alpha', caller: ANONYMOUS }, {}, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.id)).toEqual(['pub']);
    expect(rows[0]).not.toBeInstanceOf(ServiceRecord);
    expect(rows[0].description).toEqual(expect.objectContaining({ en: 'English text of pub' }));
    expect(rows[0].updatedAt).toBeInstanceOf(Date);
    expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
  });

  const member = (id: string): Caller => ({ anonymous: false, member: id, subject: 'someone', scopes: ['read'] });
  const ids = async (em: ReturnType<typeof net.orms.get> & object, caller: Caller, where = {}) =>
    (await findVisible(em.em.fork(), ServiceRecord, { owner: 'alpha', caller }, where, { orderBy: { id: 'asc' } })).map((r) => r.id);

  it('builds a read once, then sends the same statement again', async () => {
    const orm = net.orms.get('alpha')!;
    const em = orm.em.fork();
    const build = jest.spyOn(em, 'createQueryBuilder');
    const where: FilterQuery<ServiceRecord> = { kind: { $in: ['EMAIL', 'WEB_HOSTING'] } };
    const first = await findVisible(em, ServiceRecord, { owner: 'alpha', caller: member('beta') }, where, { orderBy: { id: 'asc' }, limit: 7 });
    const again = await findVisible(em, ServiceRecord, { owner: 'alpha', caller: member('beta') }, { kind: { $in: ['EMAIL', 'WEB_HOSTING'] } } as FilterQuery<ServiceRecord>, {
      orderBy: { id: 'asc' },
      limit: 7,
    });
    expect(build).toHaveBeenCalledTimes(1);
    expect(again).toEqual(first);
    expect(first.map((r) => r.id)).toEqual(['mem', 'net', 'pub']);
    // another limit is another statement
    const two = await findVisible(em, ServiceRecord, { owner: 'alpha', caller: member('beta') }, where, { orderBy: { id: 'asc' }, limit: 2 });
    expect(build).toHaveBeenCalledTimes(2);
    expect(two.map((r) => r.id)).toEqual(['mem', 'net']);
  });

  it('builds a list\'s keyset order (raw `collate "C"` keys) once, by its name, and keeps each order apart', async () => {
    const em = net.orms.get('alpha')!.em.fork();
    const build = jest.spyOn(em, 'createQueryBuilder');
    const column = () => (property: string) => `"${property}"`;
    const ascending = () => namedOrder<ServiceRecord>([{ property: 'id', direction: 'asc', type: 'text' }], column);
    const descending = () => namedOrder<ServiceRecord>([{ property: 'id', direction: 'desc', type: 'text' }], column);
    const read = (order: NamedOrder<ServiceRecord>) => findVisible(em, ServiceRecord, { owner: 'alpha', caller: member('gamma') }, {}, { orderBy: order, limit: 9 });
    expect((await read(ascending())).map((r) => r.id)).toEqual(['net', 'pub']);
    expect((await read(ascending())).map((r) => r.id)).toEqual(['net', 'pub']);
    expect(build).toHaveBeenCalledTimes(1);
    expect((await read(descending())).map((r) => r.id)).toEqual(['pub', 'net']);
    expect((await read(descending())).map((r) => r.id)).toEqual(['pub', 'net']);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it("never serves one caller's visibility to another from a kept statement", async () => {
    const orm = net.orms.get('alpha')!;
    for (let round = 0; round < 2; round++) {
      expect(await ids(orm, member('alpha'))).toEqual(['mem', 'net', 'own', 'pub']); // the owner
      expect(await ids(orm, ANONYMOUS)).toEqual(['pub']);
      expect(await ids(orm, member('beta'))).toEqual(['mem', 'net', 'pub']); // shared with beta
      expect(await ids(orm, member('gamma'))).toEqual(['net', 'pub']);
      expect(await ids(orm, ANONYMOUS, { id: 'own' })).toEqual([]);
      expect(await ids(orm, member('gamma'), { id: 'mem' })).toEqual([]);
    }
  });

  it("keeps statements per database: another member's schema gets its own SQL", async () => {
    const alpha = net.orms.get('alpha')!;
    const beta = net.orms.get('beta')!;
    await ids(alpha, ANONYMOUS, { id: 'pub' });
    const em = beta.em.fork();
    // a kept statement runs prepared on a pooled connection: record the texts sent on it
    const client = em.getConnection('read').getKnex().client as unknown as { acquireConnection(): Promise<object>; releaseConnection(c: object): unknown };
    const sent: string[] = [];
    const proxies = new Map<object, object>();
    const acquire = client.acquireConnection.bind(client);
    const release = client.releaseConnection.bind(client);
    const acquired = jest.spyOn(client, 'acquireConnection').mockImplementation(async () => {
      const connection = (await acquire()) as { query(config: { text: string }): unknown };
      const proxy = { query: (config: { text: string }) => (sent.push(config.text), connection.query(config)) };
      proxies.set(proxy, connection);
      return proxy;
    });
    const released = jest.spyOn(client, 'releaseConnection').mockImplementation((c) => release(proxies.get(c) ?? c));
    const rows = await findVisible(em, ServiceRecord, { owner: 'alpha', caller: ANONYMOUS }, { id: 'pub' }, { orderBy: { id: 'asc' } });
    acquired.mockRestore();
    released.mockRestore();
    expect(rows.map((r) => r.id)).toEqual(['pub']);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`"${beta.config.get('schema')}"`);
    expect(sent[0]).not.toContain(`"${alpha.config.get('schema')}"`);
    // values travel as parameters, never in the text
    expect(sent[0]).toMatch(/\$1/);
    expect(sent[0]).not.toContain("'pub'");
  });

  it('builds reads with raw SQL fragments (text search) every time, and still finds the right rows', async () => {
    const em = net.orms.get('alpha')!.em.fork();
    const build = jest.spyOn(em, 'createQueryBuilder');
    const scope = { owner: 'alpha', caller: ANONYMOUS };
    const search = (text: string) => findVisible(em, ServiceRecord, scope, { $and: serviceWhere(scope, { text })! }, { orderBy: { id: 'asc' } });
    for (let i = 0; i < 2; i++) {
      const rows = await search('English text of pub');
      expect(rows.map((r) => r.id)).toEqual(['pub']);
      expect(await search('English text of own')).toEqual([]);
    }
    expect(build).toHaveBeenCalledTimes(4);
  });
});

describe('the shared read EntityManager', () => {
  const member = (id: string): Caller => ({ anonymous: false, member: id, subject: 'someone', scopes: ['read'] });

  it('reads through findVisible for concurrent callers, each with their own visibility, and keeps nothing', async () => {
    const reader = sharedReadEntityManager(net.orms.get('alpha')!);
    const read = (caller: Caller) => findVisible(reader, ServiceRecord, { owner: 'alpha', caller }, {}, { orderBy: { id: 'asc' } }).then((rows) => rows.map((r) => r.id));
    const [owner, anonymous, beta, gamma] = await Promise.all([read(member('alpha')), read(ANONYMOUS), read(member('beta')), read(member('gamma'))]);
    expect(owner).toEqual(['mem', 'net', 'own', 'pub']);
    expect(anonymous).toEqual(['pub']);
    expect(beta).toEqual(['mem', 'net', 'pub']);
    expect(gamma).toEqual(['net', 'pub']);
    expect(reader.getUnitOfWork(false).getIdentityMap().values()).toHaveLength(0);
  });

  it('refuses to manage entities, persist, remove or begin a transaction: nothing of one request stays for the next', async () => {
    const reader = sharedReadEntityManager(net.orms.get('alpha')!);
    await expect(reader.findOne(ServiceRecord, { id: 'pub' })).rejects.toThrow(SharedReaderMisuseError);
    await expect(reader.find(ServiceRecord, {})).rejects.toThrow(SharedReaderMisuseError);
    expect(() => reader.getReference(ServiceRecord, 'pub')).toThrow(SharedReaderMisuseError);
    expect(() => reader.persist(new ServiceRecord())).toThrow(SharedReaderMisuseError);
    expect(() => reader.remove(new ServiceRecord())).toThrow(SharedReaderMisuseError);
    await expect(reader.begin()).rejects.toThrow(SharedReaderMisuseError);
    expect(reader.getUnitOfWork(false).getIdentityMap().values()).toHaveLength(0);
    expect(reader.isInTransaction()).toBe(false);
    // a fork of it is an ordinary EntityManager, with an identity map of its own
    const fork = reader.fork();
    const found = await fork.findOne(ServiceRecord, { id: 'pub' });
    expect(found).toBeInstanceOf(ServiceRecord);
    expect(fork.getUnitOfWork(false).getIdentityMap().values()).toHaveLength(1);
    expect(reader.getUnitOfWork(false).getIdentityMap().values()).toHaveLength(0);
  });

  it('serves concurrent hot-path reads of different callers through the member, each with its own answer', async () => {
    const alpha = net.members.get('alpha')!;
    const ask = async (caller: Caller | undefined) => {
      const body = JSON.stringify({ query: '{ services { id } }' });
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
      if (caller) headers['infrared-assertion'] = await net.assertion('alpha', caller, body);
      const res = await fetch(alpha.url, { method: 'POST', headers, body });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { services: { id: string }[] } }).data.services.map((s) => s.id);
    };
    const answers = await Promise.all([ask(member('alpha')), ask(undefined), ask(member('beta')), ask(member('gamma')), ask(member('alpha')), ask(undefined)]);
    expect(answers).toEqual([
      ['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub'],
      ['alpha:pub'],
      ['alpha:mem', 'alpha:net', 'alpha:pub'],
      ['alpha:net', 'alpha:pub'],
      ['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub'],
      ['alpha:pub'],
    ]);
  });
});

describe('identical reads waiting for a connection', () => {
  const member = (id: string): Caller => ({ anonymous: false, member: id, subject: 'someone', scopes: ['read'] });
  let holding: (() => void) | undefined;
  afterEach(() => holding?.()); // a failed test gives the connections back too
  /** Takes every connection of alpha's pool (3), so reads queue for one; `free` gives them back. */
  async function holdPool() {
    const orm = net.orms.get('alpha')!;
    const client = orm.em.getConnection('read').getKnex().client as unknown as { acquireConnection(): Promise<object>; releaseConnection(c: object): unknown };
    const held = [await client.acquireConnection(), await client.acquireConnection(), await client.acquireConnection()];
    const free = () => held.splice(0).forEach((c) => client.releaseConnection(c));
    holding = free;
    return { free };
  }
  const read = (em: EntityManager, caller: Caller) => findVisible(em, ServiceRecord, { owner: 'alpha', caller }, {}, { orderBy: { id: 'asc' } });
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
  };

  it('share one statement, each request with rows of its own; other callers and later reads send their own', async () => {
    const reader = sharedReadEntityManager(net.orms.get('alpha')!);
    // the statements are built and kept (a kept statement runs prepared)
    await read(reader, member('beta'));
    await read(reader, ANONYMOUS);
    const { free } = await holdPool();
    const before = { ...preparedReadStats };
    const waiting = [read(reader, member('beta')), read(reader, member('beta')), read(reader, member('beta')), read(reader, ANONYMOUS)];
    free();
    const [a, b, c, anonymous] = await Promise.all(waiting);
    expect(a.map((r) => r.id)).toEqual(['mem', 'net', 'pub']);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(b).not.toBe(a);
    expect(b[0]).not.toBe(a[0]);
    expect(anonymous.map((r) => r.id)).toEqual(['pub']);
    expect(preparedReadStats.sent - before.sent).toBe(2); // beta's once, anonymous's once
    expect(preparedReadStats.joined - before.joined).toBe(2);
  });

  it('never joins a read that was already sent', async () => {
    const reader = sharedReadEntityManager(net.orms.get('alpha')!);
    await read(reader, member('gamma'));
    const { free } = await holdPool();
    const before = { ...preparedReadStats };
    const first = read(reader, member('gamma'));
    free();
    await until(() => preparedReadStats.sent > before.sent); // the first is on its way to PostgreSQL
    const second = read(reader, member('gamma'));
    expect((await first).map((r) => r.id)).toEqual(['net', 'pub']);
    expect((await second).map((r) => r.id)).toEqual(['net', 'pub']);
    expect(preparedReadStats.sent - before.sent).toBe(2);
    expect(preparedReadStats.joined - before.joined).toBe(0);
  });
});
