import { cpus, loadavg } from 'node:os';
import fc from 'fast-check';
import { ringMembers } from '../support/fixtures';
import { own, ref, startHostileMember, type HostileMember } from '../support/hostile-member';
import { TestNetwork, type GraphQLResult } from '../support/network';

/*
 * A member listed in the registry that answers whatever it likes. For every trick: the honest
 * members' data arrives intact, the hostile part is dropped or marked, errors name the sender,
 * nothing incomplete is cached (response cache and public index), and the gateway stays
 * responsive while it happens (/health within 100 ms, and no long event-loop block).
 */

const HONEST_PUBLIC = ['alpha:pub', 'beta:pub'];
/**
 * /health must answer within 500 ms while a trick plays. The gateway, the members, the hostile
 * member and the test share one process here, and CI machines are shared: the bound scales with
 * the machine's load per core (exactly 500 ms on an idle machine). The largest trick's answer
 * (24,000 records, several MB, within the member body cap) is parsed and checked on the event
 * loop, which took up to ~350 ms per core-share on the real-PostgreSQL CI stage; before the answer
 * check, the 12,000 × 12,000 trick kept /health waiting for over a minute, so the bound still
 * tells "responsive" from "frozen" by two orders of magnitude.
 */
const HEALTH_MS = 500;
const healthBound = () => HEALTH_MS * Math.max(1, loadavg()[0] / cpus().length);

/** A full Service as mallory would serve it (every field the contract has, with probes). */
function service(member: string, local: string, extra: Record<string, unknown> = {}) {
  return own(member, local, {
    name: `Service ${local}`,
    kind: 'EMAIL',
    status: 'OPERATIONAL',
    acceptingUsers: true,
    languages: ['en'],
    regions: ['Elsewhere'],
    url: 'https://mallory.example',
    software: null,
    description: null,
    descriptions: [],
    updatedAt: '2026-01-01T00:00:00Z',
    visibility: 'PUBLIC',
    sharedWith: null,
    attestation: null,
    capacity: [],
    member: ref(member),
    ...extra,
  });
}

describe('a hostile member', () => {
  let net: TestNetwork;
  let mallory: HostileMember;
  let base: string;

  beforeAll(async () => {
    const members = ringMembers(['alpha', 'beta']);
    (members[0].data as Record<string, unknown>).supportNeeds = [{ id: 'need', kind: 'HOSTING', title: 'Need hosting', languages: ['en'], visibility: 'PUBLIC' }];
    (members[1].data as Record<string, unknown>).supportOffers = [{ id: 'offer', kind: 'HOSTING', title: 'Offer hosting', languages: ['en-GB'], visibility: 'PUBLIC' }];
    net = await TestNetwork.start(members, { responseCacheTtlSeconds: 60, publicIndexRefreshSeconds: 1, memberDeadlineMs: 5000, requestBudgetMs: 10_000 });
    mallory = await startHostileMember('mallory');
    net.addExternalMember({ id: mallory.id, url: mallory.url });
    await net.reloadRegistry();
    await net.gateway.health.track(net.gateway.registry.registry.members);
    base = net.gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await net.stop();
    await mallory.stop();
  });

  /** Sends a query while polling /health; returns the answer, the cache header and the slowest /health. */
  async function attempt(query: string, variables?: Record<string, unknown>) {
    let done = false;
    const health: number[] = [];
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(`${base}/health`);
        await res.text();
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const res = await fetch(net.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GraphQLResult['body'];
    done = true;
    await poll;
    health.sort((a, b) => a - b);
    return { status: res.status, body, cache: res.headers.get('x-infrared-cache'), health };
  }

  function expectResponsive(health: number[]) {
    expect(health.length).toBeGreaterThan(0);
    expect(health[health.length - 1]).toBeLessThan(healthBound());
  }

  /** Asserts the common promises: an answer with data and errors, only mallory blamed, responsive, and not cached. */
  async function expectContained(query: string, opts: { aggregate?: boolean } = {}) {
    // plan the query first (as a signed-in caller, whose answers are never cached): planning is
    // the gateway's own one-off work, not the trick's
    await net.query(query, { token: await net.token('alpha') });
    const first = await attempt(query);
    if (process.env.DEBUG_HOSTILE) console.log(JSON.stringify(first.body).slice(0, 3000));
    expect(first.status).toBe(200);
    expect(first.body.data).not.toBeNull();
    if (opts.aggregate) {
      // aggregates mark what they left out in extensions.members (and `complete` where they have it)
      const report = first.body.extensions!.members.mallory;
      expect((report.dropped ?? 0) + (report.truncated ?? 0)).toBeGreaterThan(0);
    } else {
      expect(first.body.errors?.length).toBeGreaterThan(0);
    }
    const blamed = new Set((first.body.errors ?? []).map((e) => e.extensions?.member));
    blamed.delete('mallory');
    expect([...blamed]).toEqual([]);
    expectResponsive(first.health);
    const second = await attempt(query);
    expect(second.cache).toBeNull();
    return first;
  }

  it('cannot speak for another member: records under another prefix are dropped, probe or no probe', async () => {
    mallory.play(() => ({
      data: {
        services: [service('mallory', 'mail'), { ...service('alpha', 'mail'), infrared__id: undefined }, { ...service('alpha', 'mail2'), infrared__id: 'mallory:mail2' }],
      },
    }));
    const { body } = await expectContained('{ services { id name url member { id name } } }');
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual([...HONEST_PUBLIC, 'mallory:mail']);
    expect(body.errors!.map((e) => e.extensions!.code)).toEqual(['FOREIGN_RECORD_DROPPED', 'FOREIGN_RECORD_DROPPED']);
    expect(body.extensions!.members.mallory).toMatchObject({ status: 'ok', dropped: 2 });
    // the member page of alpha lists alpha's own services only
    const page = await net.query('{ member(id: "alpha") { services { id } } }');
    expect(page.body.data!.member.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub']);
  });

  it('cannot slip a forged record into the public index', async () => {
    mallory.play(() => ({ data: { services: [service('mallory', 'mail'), { ...service('alpha', 'forged'), infrared__id: 'mallory:x' }] } }));
    // read as a signed-in caller: anonymous answers may come from the response cache
    const token = await net.token('alpha');
    const before = (await net.query('{ publicCatalogue { refreshedAt } }', { token })).body.data!.publicCatalogue.refreshedAt;
    let catalogue: { refreshedAt: string; missingMembers: string[]; entries: { id: string }[] } | undefined;
    for (let i = 0; i < 100; i++) {
      catalogue = (await net.query('{ publicCatalogue { refreshedAt missingMembers entries { id } } }', { token })).body.data!.publicCatalogue;
      if (catalogue!.refreshedAt !== before && mallory.requests.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ids = catalogue!.entries.map((e) => e.id);
    expect(ids).not.toContain('alpha:forged');
    expect(ids).not.toContain('mallory:mail');
    expect(ids).toEqual(expect.arrayContaining(HONEST_PUBLIC));
    expect(catalogue!.missingMembers).toEqual(['mallory']);
  });

  it('cannot forge consent: a participation counts only from the participant itself', async () => {
    // a participation's id is `<participant>:<projectId>`: one claimed under beta's id is not mallory's to send
    const participation = (member: string) =>
      own(member, 'alpha:proj-pub', { projectId: 'alpha:proj-pub', member: ref(member), confirmedAt: '2026-01-01T00:00:00Z', role: null, visibility: 'PUBLIC' });
    mallory.play(() => ({ data: { participations: [participation('beta'), participation('mallory')] } }));
    const { body } = await expectContained('{ project(id: "alpha:proj-pub") { id participants { id } } }', { aggregate: true });
    // beta is invited but never confirmed; mallory confirmed but is not invited
    expect(body.data!.project).toEqual({ id: 'alpha:proj-pub', participants: [] });
    expect(body.extensions!.members.mallory.dropped).toBe(1);
  });

  it('cannot credit its records or made-up capacity to another member', async () => {
    mallory.play(() => ({
      data: {
        services: [service('mallory', 'svc', { member: ref('alpha') }), service('mallory', 'ok')],
        projects: [own('mallory', 'p', { name: 'P', lead: ref('alpha'), invited: [], area: 'SOLIDARITY', status: 'ACTIVE', needs: [], visibility: 'PUBLIC' })],
        capacity: [
          own('mallory', 'c', { resource: 'ACCOUNTS', total: 1000, used: 0, available: 1000, member: ref('alpha') }),
          own('mallory', 'neg', { resource: 'ACCOUNTS', total: -1000, used: 0, available: 0, member: ref('mallory') }),
          own('mallory', 'c2', { resource: 'ACCOUNTS', total: 5, used: 1, available: 4, member: ref('mallory') }),
        ],
      },
    }));
    const services = await expectContained('{ services { id member { id } } projects { id lead { id } } }');
    expect(services.body.data!.services.map((s: { id: string; member: { id: string } }) => [s.id, s.member.id])).toEqual([
      ['alpha:pub', 'alpha'],
      ['beta:pub', 'beta'],
      ['mallory:ok', 'mallory'],
    ]);
    expect(services.body.data!.projects.map((p: { lead: { id: string } }) => p.lead.id)).toEqual(['alpha', 'beta']);
    const totals = await expectContained('{ network { totals(resource: ACCOUNTS) { total used members complete missingMembers } } }', { aggregate: true });
    // alpha and beta: 100 each (public capacity); mallory: 5 of its own, the rest refused
    expect(totals.body.data!.network.totals).toEqual({ total: 205, used: 81, members: 3, complete: false, missingMembers: [] });
  });

  it("cannot blank everyone's answer with broken items, numbers or depth", async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    mallory.play((req) => {
      if (req.fields.has('capacity')) {
        return {
          data: {
            capacity: [
              own('mallory', 'big', { total: 1e308, used: 0, available: 0, member: ref('mallory') }),
              own('mallory', 'str', { total: '12abc', used: 0, member: ref('mallory') }),
              own('mallory', 'nomember', { total: 1, used: 0 }),
            ],
          },
        };
      }
      if (req.fields.has('participations')) return { data: { participations: [{ projectId: 'alpha:proj-pub' }] } };
      const key = req.fields.get('services')![0];
      return {
        raw: `{"data":{"${key}":[${JSON.stringify({ ...service('mallory', 'n'), id: null })},null,${JSON.stringify({ ...service('mallory', 'num'), name: 123 })},${JSON.stringify({ ...service('mallory', 'missing'), name: undefined })},${deep},${JSON.stringify(service('mallory', 'fine'))}]}}`,
      };
    });
    const services = await expectContained('{ services { id name } }');
    expect(services.body.data!.services.map((s: { id: string }) => s.id)).toEqual([...HONEST_PUBLIC, 'mallory:fine']);
    expect(services.body.errors!.every((e) => e.extensions!.code === 'MEMBER_INVALID_ANSWER' || e.extensions!.code === 'FOREIGN_RECORD_DROPPED')).toBe(true);
    const totals = await expectContained('{ network { totals(resource: STORAGE_GB) { total complete } } }', { aggregate: true });
    expect(totals.body.data!.network.totals.complete).toBe(false);
    expect(Number.isFinite(totals.body.data!.network.totals.total)).toBe(true);
    const participants = await expectContained('{ project(id: "alpha:proj-pub") { participants { id } } }', { aggregate: true });
    expect(participants.body.data!.project.participants).toEqual([]);
  });

  it('answers neither data nor errors: a marked gap, not a blank', async () => {
    mallory.play(() => ({ body: { data: null } }));
    const { body } = await expectContained('{ services { id } }');
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(HONEST_PUBLIC);
    expect(body.errors![0].extensions!.code).toBe('MEMBER_INVALID_ANSWER');
  });

  it('cannot freeze the gateway with 12,000 offers and 12,000 needs', async () => {
    // the needs are credited to alpha, so that (before the check) every pair crossed members and
    // was compared language by language: 144 million pairs on the event loop
    const items = (kind: string, member: string) => Array.from({ length: 12_000 }, (_, i) => own('mallory', `${kind}${i}`, { kind: 'HOSTING', languages: ['en'], member: ref(member) }));
    // serialised once, up front: the fixture shares this process with the gateway
    const text = JSON.stringify({ data: { supportOffers: items('o', 'mallory'), supportNeeds: items('n', 'alpha') } });
    mallory.play(() => ({ raw: text }));
    await net.query('{ supportMatches { need { id } } }', { token: await net.token('alpha') });
    const result = await attempt('{ supportMatches { need { id } offer { id } languages } }');
    if (process.env.DEBUG_HOSTILE) console.log(result.health.map((h) => Math.round(h)).join(' '), loadavg());
    expect(result.status).toBe(200);
    expectResponsive(result.health);
    // alpha's need meets beta's offer, then mallory's first 1,000 offers; the output stops at 1,000
    const matches = result.body.data!.supportMatches as { need: { id: string }; offer: { id: string } }[];
    expect(matches[0]).toEqual({ need: { id: 'alpha:need' }, offer: { id: 'beta:offer' }, languages: ['en'] });
    expect(matches[1]).toEqual({ need: { id: 'alpha:need' }, offer: { id: 'mallory:o0' }, languages: ['en'] });
    expect(matches.length).toBe(1000);
    expect(result.body.extensions!.members.mallory).toMatchObject({ truncated: 22_000, dropped: 1000 });
    expect(result.cache).toBeNull();
  });

  it('cannot blame another member: the gateway names the sender and keeps only known codes', async () => {
    mallory.play(() => ({ body: { data: { services: [] }, errors: [{ message: 'alpha is down', extensions: { code: 'MEMBER_UNAVAILABLE', member: 'alpha', reason: 'timeout' } }] } }));
    const { body } = await expectContained('{ services { id } network { summary { missingMembers complete } } }');
    expect(body.errors!.map((e) => e.extensions)).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'MEMBER_ERROR', member: 'mallory' })]));
    expect(body.errors!.some((e) => e.extensions!.code === 'MEMBER_UNAVAILABLE')).toBe(false);
    expect(body.data!.network.summary).toEqual({ missingMembers: [], complete: false });
    expect(body.data!.services.map((s: { id: string }) => s.id)).toEqual(HONEST_PUBLIC);
  });

  it('cannot name unknown members in invited or sharedWith', async () => {
    mallory.play(() => ({
      data: {
        projects: [
          own('mallory', 'p', {
            name: 'P',
            lead: ref('mallory'),
            invited: [ref('alpha'), ref('ghost')],
            area: 'SOLIDARITY',
            status: 'ACTIVE',
            needs: [],
            visibility: 'PUBLIC',
            sharedWith: ['beta', 'ghost'],
          }),
        ],
      },
    }));
    const { body } = await expectContained('{ projects(filter: { members: ["mallory"] }) { id invited { id } } }');
    const project = body.data!.projects.find((p: { id: string }) => p.id === 'mallory:p');
    expect(project.invited).toEqual([{ id: 'alpha' }]);
  });

  it('fuzzed answers: the honest part always arrives, the rest is dropped and blamed on the sender', async () => {
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 4 }), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: junk });
    const id = fc.constantFrom('mallory:a', 'mallory:b', 'alpha:pub', 'beta:x', '');
    const item = fc.record(
      {
        id: maybe(id),
        infrared__id: maybe(id),
        name: maybe(fc.string({ maxLength: 6 })),
        kind: maybe(fc.constantFrom('EMAIL', 'VPN', 'NOPE')),
        member: maybe(fc.record({ id: maybe(fc.constantFrom('mallory', 'alpha')), infrared__id: maybe(fc.constantFrom('mallory', 'beta')) })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(maybe(item), { maxLength: 8 }), fc.jsonValue()), async (services) => {
        mallory.play(() => ({ body: { data: { services } } }));
        const res = await net.query('{ services { id name kind member { id } } }');
        expect(res.status).toBe(200);
        const ids = (res.body.data!.services as { id: string; member: { id: string } }[]).map((s) => s.id);
        expect(ids.slice(0, 2)).toEqual(HONEST_PUBLIC);
        for (const s of res.body.data!.services.slice(2)) {
          expect(s.id.startsWith('mallory:')).toBe(true);
          expect(s.member.id).toBe('mallory');
        }
        for (const e of res.body.errors ?? []) expect(e.extensions!.member).toBe('mallory');
      }),
      { numRuns: 40 },
    );
  });
});
