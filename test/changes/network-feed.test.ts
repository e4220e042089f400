/**
 * The network change feed at the gateway (issue 17): `networkChanges` merges the members' feeds
 * behind one opaque cursor, resumable on another gateway, reports unavailable members without
 * losing their changes, refuses hostile members' answers, and keeps THE property across two
 * members: a bot polling the gateway ends with exactly the records it may see.
 */
import fc from 'fast-check';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { own, startHostileMember, type HostileMember } from '../support/hostile-member';
import { TestNetwork } from '../support/network';
import { ALL_FEED_KINDS, applyStep, Bot, dataFile, globalIdOf, KIND_FIXTURES, mayCallerSee, stepArbitrary, type ModelRecord, type Step } from './feed-model';

const OWNERS = ['alpha', 'beta'];
const WHO = ['anonymous', 'alpha', 'beta', 'gamma'];
const RECORD = `record { __typename ... on Service { name } ... on Capacity { used } ... on Project { name } ... on Incident { mitigation } ... on SupportOffer { title } ... on SupportNeed { title } ... on Training { title } ... on Participation { role projectId } }`;
const FEED = `query($since: String, $first: Int, $kinds: [RecordKind!], $members: [ID!]) {
  networkChanges(since: $since, first: $first, kinds: $kinds, members: $members) { cursor hasMore unavailableMembers changes { cursor kind id operation at member severity ${RECORD} } }
}`;

let net: TestNetwork;
const tokens: Record<string, string | undefined> = {};
beforeAll(async () => {
  net = await TestNetwork.start([{ id: 'alpha' }, { id: 'beta' }, { id: 'gamma' }]);
  for (const who of WHO) tokens[who] = who === 'anonymous' ? undefined : await net.token(who);
});
afterAll(() => net?.stop());

async function page(who: string, since: string | null, variables: Record<string, unknown> = {}, url = net.gateway.url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {}) },
    body: JSON.stringify({ query: FEED, variables: { since, ...variables } }),
  });
  return (await res.json()) as { data?: { networkChanges: any }; errors?: any[] };
}

/** Applies a network page to a bot; records are read back with their owner's fixture (every kind's, participations' too). */
function applyPage(bot: Bot, changes: any[]): void {
  bot.apply(changes);
}

async function drain(bot: Bot, who: string, first = 100, url?: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const res = await page(who, bot.cursor, { first }, url);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    applyPage(bot, res.data.networkChanges.changes);
    bot.cursor = res.data.networkChanges.cursor;
    if (!res.data.networkChanges.hasMore) return;
  }
  throw new Error('the network feed never ended');
}

const write = (owner: string, records: Iterable<ModelRecord>) => importMemberData(net.orms.get(owner)!, owner, dataFile(owner, records) as never, { prune: true });

describe('networkChanges', () => {
  it('merges every member’s feed, with records fetched from their owners, and goes on from its cursor on another gateway', async () => {
    await write('alpha', [{ kind: 'SERVICE', local: 'mail', level: 'PUBLIC', sharedWith: [], version: 1 }]);
    await write('beta', [{ kind: 'INCIDENT', local: 'ddos', level: 'NETWORK', sharedWith: [], version: 1 }]);
    const start = await page('gamma', null);
    expect(start.errors).toBeUndefined();
    const first = start.data!.networkChanges;
    expect(first.unavailableMembers).toEqual([]);
    expect(first.changes.map((c: any) => [c.id, c.operation, c.member, c.record?.__typename]).sort()).toEqual([
      ['alpha:mail', 'UPSERT', 'alpha', 'Service'],
      ['beta:ddos', 'UPSERT', 'beta', 'Incident'],
    ]);
    expect(first.changes.find((c: any) => c.kind === 'INCIDENT').severity).toBe('HIGH');
    // the anonymous caller never hears of beta's NETWORK incident
    const anon = await page('anonymous', null);
    expect(anon.data!.networkChanges.changes.map((c: any) => c.id)).toEqual(['alpha:mail']);

    // a second gateway of the same network, with no state shared: the cursor alone carries on
    const other = await net.extraGateway({ responseCacheTtlSeconds: 0 });
    try {
      await write('alpha', [{ kind: 'SERVICE', local: 'mail', level: 'PUBLIC', sharedWith: [], version: 2 }]);
      const next = await page('gamma', first.cursor, {}, other.url);
      expect(next.data!.networkChanges.changes.map((c: any) => [c.id, c.operation, c.record?.name])).toEqual([['alpha:mail', 'UPSERT', 'v2']]);
      const after = await page('gamma', next.data!.networkChanges.cursor);
      expect(after.data!.networkChanges.changes).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('a participation change carries its record, fetched from its owner, for a caller who may see it; nothing for one who may not', async () => {
    await write('alpha', [{ kind: 'PARTICIPATION', local: 'backup', level: 'NETWORK', sharedWith: [], version: 3 }]);
    const seen = await page('beta', null, { kinds: ['PARTICIPATION'], members: ['alpha'] });
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.networkChanges.changes.map((c: any) => [c.id, c.operation, c.record])).toEqual([
      ['alpha:elsewhere:backup', 'UPSERT', { __typename: 'Participation', role: 'v3', projectId: 'elsewhere:backup' }],
    ]);
    const anonymous = await page('anonymous', null, { kinds: ['PARTICIPATION'], members: ['alpha'] });
    expect(anonymous.data!.networkChanges.changes).toEqual([]);
  });

  it('the cursor is untrusted input: garbage, another shape or a member’s foreign position is INVALID_CURSOR', async () => {
    for (const since of ['nope', 'n1.' + Buffer.from('{"alpha":5}').toString('base64url'), 'n1.' + Buffer.from('{"../x":"c1.a"}').toString('base64url'), 'n1.!!!', 'n1.' + 'A'.repeat(10)]) {
      const res = await page('gamma', since);
      expect([since.slice(0, 30), res.errors?.[0]?.extensions?.code]).toEqual([since.slice(0, 30), 'INVALID_CURSOR']);
    }
    // a cursor got by one caller is refused for another (its view decided what it was told)
    const mine = await page('beta', null);
    const res = await page('gamma', mine.data!.networkChanges.cursor);
    expect(res.errors?.[0]?.extensions?.code).toBe('INVALID_CURSOR');
  });

  it('members narrows the feed; first bounds the page and the rest follows', async () => {
    const res = await page('gamma', null, { members: ['beta'] });
    expect(res.data!.networkChanges.changes.every((c: any) => c.member === 'beta')).toBe(true);
    const small = await page('gamma', null, { first: 1 });
    expect([small.data!.networkChanges.changes.length, small.data!.networkChanges.hasMore]).toEqual([1, true]);
    expect((await page('gamma', null, { first: 501 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('writes through the API', () => {
  it('an owner narrowing a record through the API reaches callers who lose it as a REMOVE; removing it reaches the rest', async () => {
    const writer = await net.token('alpha', { scopes: ['read', 'write'] });
    const upsert = (visibility: string) =>
      net.query(
        `mutation($v: Visibility!) { upsertService(input: { id: "api-svc", name: "Api", kind: EMAIL, status: OPERATIONAL, acceptingUsers: true, visibility: $v }) { id updatedAt createdAt } }`,
        {
          token: writer,
          variables: { v: visibility },
        },
      );
    const gamma = new Bot();
    const alpha = new Bot();
    await drain(gamma, 'gamma');
    await drain(alpha, 'alpha');
    const created = await upsert('NETWORK');
    expect(created.body.errors).toBeUndefined();
    await drain(gamma, 'gamma');
    expect(gamma.state.has('alpha:api-svc')).toBe(true);
    // the read path serves the same stored times as the write answered
    const read = await net.query(`{ service(id: "alpha:api-svc") { createdAt updatedAt } }`, { token: writer });
    expect(read.body.data!.service).toEqual({ createdAt: created.body.data!.upsertService.createdAt, updatedAt: created.body.data!.upsertService.updatedAt });
    const narrowed = await upsert('OWNER');
    expect(new Date(narrowed.body.data!.upsertService.createdAt).getTime()).toBe(new Date(created.body.data!.upsertService.createdAt).getTime());
    await drain(gamma, 'gamma');
    expect(gamma.state.has('alpha:api-svc')).toBe(false);
    await drain(alpha, 'alpha');
    expect(alpha.state.has('alpha:api-svc')).toBe(true);
    const removed = await net.query(`mutation { removeService(id: "alpha:api-svc") }`, { token: writer });
    expect(removed.body.data).toEqual({ removeService: true });
    const heardBefore = new Set(gamma.heard);
    await drain(gamma, 'gamma');
    await drain(alpha, 'alpha');
    expect(alpha.state.has('alpha:api-svc')).toBe(false);
    // gamma had already been told it was gone: the deletion of a record it could not see says nothing new
    expect([...gamma.heard].filter((id) => !heardBefore.has(id))).toEqual([]);
  });
});

describe('updatedSince', () => {
  it('every kind filter that has one returns only records changed at or after the time', async () => {
    await write('alpha', [
      { kind: 'SERVICE', local: 'old-svc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'INCIDENT', local: 'old-inc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'PROJECT', local: 'old-prj', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'CAPACITY', local: 'old-cap', level: 'PUBLIC', sharedWith: [], version: 1 },
    ]);
    const before = await net.query(`{ services(filter: { members: ["alpha"] }) { id updatedAt } }`);
    const since = new Date(new Date(before.body.data!.services[0].updatedAt).getTime() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await write('alpha', [
      { kind: 'SERVICE', local: 'old-svc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'INCIDENT', local: 'old-inc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'PROJECT', local: 'old-prj', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'CAPACITY', local: 'old-cap', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'SERVICE', local: 'new-svc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'INCIDENT', local: 'new-inc', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'PROJECT', local: 'new-prj', level: 'PUBLIC', sharedWith: [], version: 1 },
      { kind: 'CAPACITY', local: 'new-cap', level: 'PUBLIC', sharedWith: [], version: 1 },
    ]);
    const res = await net.query(
      `query($t: DateTime!) { services(filter: { members: ["alpha"], updatedSince: $t }) { id } incidents(filter: { members: ["alpha"], updatedSince: $t }) { id } projects(filter: { updatedSince: $t }) { id } capacity(filter: { members: ["alpha"], updatedSince: $t }) { id } }`,
      { variables: { t: since } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ services: [{ id: 'alpha:new-svc' }], incidents: [{ id: 'alpha:new-inc' }], projects: [{ id: 'alpha:new-prj' }], capacity: [{ id: 'alpha:new-cap' }] });
  });
});

describe('members that fail or lie', () => {
  let liar: HostileMember;
  afterAll(async () => {
    await liar?.stop();
  });

  it('an unavailable member is reported and its position kept: once it is back, nothing of it is lost', async () => {
    const bot = new Bot();
    await drain(bot, 'gamma');
    const beta = net.members.get('beta')!;
    const port = beta.port;
    await beta.stop();
    await write('beta', [{ kind: 'INCIDENT', local: 'while-down', level: 'PUBLIC', sharedWith: [], version: 1 }]);
    const down = await page('gamma', bot.cursor);
    expect(down.data!.networkChanges.unavailableMembers).toEqual(['beta']);
    applyPage(bot, down.data!.networkChanges.changes);
    bot.cursor = down.data!.networkChanges.cursor;
    await net.startMember({ id: 'beta' }, port);
    await drain(bot, 'gamma');
    expect(bot.state.has('beta:while-down')).toBe(true);
    expect(bot.state.has('beta:ddos')).toBe(false);
  });

  it('a member whose feed names another member’s records, unknown kinds or another sender is refused whole', async () => {
    liar = await startHostileMember('liar');
    net.addExternalMember({ id: 'liar', url: liar.url });
    await net.reloadRegistry();
    const tricks: Record<string, unknown>[] = [
      { cursor: 'c1.x', kind: 'SERVICE', id: 'alpha:mail', operation: 'REMOVE', at: new Date().toISOString(), member: 'liar', severity: null },
      { cursor: 'c1.x', kind: 'SERVICE', id: 'liar:x', operation: 'REMOVE', at: new Date().toISOString(), member: 'alpha', severity: null },
      { cursor: 'c1.x', kind: 'SECRET', id: 'liar:x', operation: 'REMOVE', at: new Date().toISOString(), member: 'liar', severity: null },
    ];
    // the control: a well-formed page of its own records is taken
    const honest = { cursor: 'c1.x', kind: 'SERVICE', id: 'liar:x', operation: 'REMOVE', at: new Date().toISOString(), member: 'liar', severity: null };
    liar.play(() => ({ data: { changes: { cursor: 'c1.y', hasMore: false, changes: [honest] } } }));
    const ok = await page('gamma', null, { members: ['liar'] });
    expect(ok.data!.networkChanges.unavailableMembers).toEqual([]);
    expect(ok.data!.networkChanges.changes.map((c: any) => c.id)).toEqual([own('liar', 'x').id]);
    expect(liar.requests.length).toBe(1);
    for (const trick of tricks) {
      liar.play(() => ({ data: { changes: { cursor: 'c1.y', hasMore: false, changes: [honest, trick] } } }));
      const res = await page('gamma', null, { members: ['liar', 'alpha'] });
      expect(res.data!.networkChanges.unavailableMembers).toEqual(['liar']);
      expect(res.data!.networkChanges.changes.some((c: any) => c.member === 'liar' || (c.id === 'alpha:mail' && c.operation === 'REMOVE'))).toBe(false);
      // its position did not move: the cursor holds nothing for it
      expect(JSON.parse(Buffer.from(res.data!.networkChanges.cursor.slice(3), 'base64url').toString('utf8')).liar).toBeUndefined();
    }
    // a member cannot stop a caller's feed by refusing a position it never got
    liar.play(() => ({ body: { data: null, errors: [{ message: 'expired', extensions: { code: 'CURSOR_EXPIRED' } }] } }));
    const fresh = await page('gamma', null, { members: ['liar', 'alpha'] });
    expect(fresh.data!.networkChanges.unavailableMembers).toEqual(['liar']);
  });
});

describe('the change feed property through the gateway (two members)', () => {
  it('a bot polling networkChanges ends with exactly the records it may see, for every caller; nothing about a never-visible record reaches it', async () => {
    const kinds = ALL_FEED_KINDS();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...OWNERS), stepArbitrary(kinds, ['alpha', 'beta', 'gamma'], WHO.length)), { minLength: 4, maxLength: 16 }), async (steps) => {
        run++;
        const models = new Map(OWNERS.map((o) => [o, new Map<number, ModelRecord>()]));
        const counter = { n: 0 };
        const everVisible = new Map(WHO.map((w) => [w, new Set<string>()]));
        for (const o of OWNERS) await write(o, []);
        const bots = WHO.map(() => new Bot());
        // every bot starts from nothing before the owners act
        for (const [b, who] of WHO.entries()) await drain(bots[b], who);
        for (const [owner, step] of steps) {
          if (step.op === 'poll') {
            const bot = bots[step.bot];
            const res = await page(WHO[step.bot], bot.cursor, { first: step.first });
            if (!res.data) throw new Error(JSON.stringify(res.errors));
            applyPage(bot, res.data.networkChanges.changes);
            bot.cursor = res.data.networkChanges.cursor;
            continue;
          }
          const records = models.get(owner)!;
          if (applyStep(records, step as Exclude<Step, { op: 'poll' }>, `${run}${owner[0]}`, counter)) {
            await write(owner, records.values());
            for (const r of records.values()) for (const w of WHO) if (mayCallerSee(owner, r, w)) everVisible.get(w)!.add(globalIdOf(owner, r));
          }
        }
        for (const [b, who] of WHO.entries()) {
          await drain(bots[b], who, 5);
          const expected = new Map<string, number>();
          for (const [owner, records] of models) for (const r of records.values()) if (mayCallerSee(owner, r, who)) expected.set(globalIdOf(owner, r), r.version);
          expect([who, Object.fromEntries([...bots[b].state].sort())]).toEqual([who, Object.fromEntries([...expected].sort())]);
          for (const id of bots[b].heard) expect([who, id, everVisible.get(who)!.has(id)]).toEqual([who, id, true]);
        }
      }),
      { numRuns: Number(process.env.FEED_NETWORK_PROPERTY_RUNS ?? 6), endOnFailure: true },
    );
  }, 300_000);
});

void KIND_FIXTURES;
