/**
 * Registry hot reload under load: members join and leave while clients keep querying, and no
 * request fails because of it. The gateway runs with its default response cache, so anonymous
 * clients also check that a registry edit is not hidden behind cached answers.
 */
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork, type GraphQLResult } from '../support/network';
import { fakeMember, healthyAnswer, rawRequest, until } from './support';

const CLIENTS = 20;
const MIN_LOAD_MS = 2000;
const QUERY = '{ services { id } }';

describe('registry hot reload under load', () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta', 'gamma']).slice(0, 2), {
      rateLimitPoints: 1_000_000,
      // the default response cache, on purpose
      responseCacheTtlSeconds: 10,
      // generous deadlines: this is about reloads, not about slow members on a loaded machine
      memberDeadlineMs: 10_000,
      requestBudgetMs: 15_000,
    });
    // gamma runs from the start (warmed up by a direct query), but is not in the registry yet
    const gamma = await net.startMember(ringMembers(['alpha', 'beta', 'gamma'])[2]);
    expect((await post(gamma.url, QUERY)).body.data!.services).toEqual([{ id: 'gamma:pub' }]);
  });
  afterAll(() => net?.stop());

  it('adds and removes members while 20 clients query, without a failed request', async () => {
    type Outcome = { client: number; started: number; result?: GraphQLResult; error?: string };
    const results: Outcome[] = [];
    const tokens = await Promise.all(Array.from({ length: CLIENTS / 2 }, (_, i) => net.token('alpha', { subject: `load-${i}` })));
    let running = true;
    // half the clients anonymous (served from the response cache when they can), half with a token (never cached)
    const client = async (n: number) => {
      while (running) {
        const started = Date.now();
        try {
          const result = await net.query(QUERY, n % 2 ? { token: tokens[n >> 1] } : {});
          results.push({ client: n, started, result });
        } catch (err) {
          results.push({ client: n, started, error: (err as Error).message });
        }
      }
    };
    const loadStarted = Date.now();
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    const answeredSince = (t: number) => results.filter((r) => r.started > t).length;

    try {
      const gammaEntry = (r: Record<string, any>) => ({ ...r.members.find((m: { id: string }) => m.id === 'alpha'), id: 'gamma', name: 'Member gamma', keys: [], url: net.members.get('gamma')!.url });
      // once load flows: gamma joins (reloaded at once) …
      await until(() => answeredSince(loadStarted) >= 20, { timeoutMs: 15_000, what: 'load to flow' });
      net.writeRegistry((r) => r.members.push(gammaEntry(r)));
      await net.reloadRegistry();
      const joinedAt = Date.now();
      // … then beta leaves (picked up by the registry watcher, not reloaded by hand)
      await until(() => answeredSince(joinedAt) >= 20, { timeoutMs: 15_000, what: 'load after gamma joined' });
      net.writeRegistry((r) => {
        r.members.push(gammaEntry(r));
        r.members = r.members.filter((m: { id: string }) => m.id !== 'beta');
      });
      await until(() => !net.gateway.registry.registry.members.some((m) => m.id === 'beta'), { timeoutMs: 10_000, what: 'the watcher to drop beta' });
      const leftAt = Date.now();
      await until(() => answeredSince(leftAt) >= 20 && Date.now() - loadStarted >= MIN_LOAD_MS, { timeoutMs: 15_000, what: 'load after beta left' });

      running = false;
      await load;

      // every request answered with a 200, and no error about the member that stayed (alpha) or
      // about no member at all; only the newcomer may be slow to its first answers
      expect(results.filter((r) => r.error)).toEqual([]);
      expect(results.filter((r) => r.result!.status !== 200).map((r) => r.result)).toEqual([]);
      const errors = results.flatMap((r) => r.result!.body.errors ?? []);
      expect(errors.filter((e) => e.extensions?.member !== 'gamma').map((e) => e.message)).toEqual([]);
      const idsOf = (r: Outcome) => (r.result!.body.data?.services ?? []).map((s: { id: string }) => s.id) as string[];
      for (const r of results) expect(idsOf(r)).toContain('alpha:pub');

      // the edits took effect under load: gamma's records appeared, and once beta left, no answer —
      // cached or not — had beta's records
      expect(results.some((r) => r.started > joinedAt && idsOf(r).includes('gamma:pub'))).toBe(true);
      const afterLeave = results.filter((r) => r.started > leftAt);
      expect(afterLeave.length).toBeGreaterThanOrEqual(20);
      const stale = afterLeave.filter((r) => !idsOf(r).includes('gamma:pub') || idsOf(r).some((id) => id.startsWith('beta:')));
      expect(stale.map((r) => ({ anonymous: r.client % 2 === 0, startedAfterLeaveMs: r.started - leftAt, ids: idsOf(r) }))).toEqual([]);
      expect(afterLeave.some((r) => r.client % 2 === 0)).toBe(true);
    } finally {
      running = false;
      await load;
    }

    const { body } = await net.query('{ members { id } }');
    expect(body.data!.members.map((m: { id: string }) => m.id)).toEqual(['alpha', 'gamma']);
  });

  it('does not cache an answer computed before a registry edit under the edited registry', async () => {
    const slow = await fakeMember(healthyAnswer({ delayMs: 600, data: { services: [{ id: 'slowpoke:x', infrared__id: 'slowpoke:x', name: 'Slow service' }] } }));
    try {
      const entry = { id: 'slowpoke', name: 'Slowpoke', region: 'Elsewhere', countries: [], languages: ['en'], keys: [], url: slow.url };
      const withSlowpoke = (r: Record<string, any>) =>
        (r.members = r.members.filter((m: { id: string }) => m.id !== 'beta').concat([{ ...r.members[0], id: 'gamma', name: 'Member gamma', keys: [], url: net.members.get('gamma')!.url }, entry]));
      net.writeRegistry(withSlowpoke);
      await net.reloadRegistry();
      const query = JSON.stringify({ query: '{ services { id name } }' });
      const ask = () => rawRequest(net.gateway.url, { body: query });
      const idsIn = (res: { json: any }) => res.json.data.services.map((s: { id: string }) => s.id) as string[];

      // an anonymous (cacheable) request is in flight, computed from the registry with slowpoke …
      const calls = slow.dataCalls();
      const inFlight = ask();
      await until(() => slow.dataCalls() > calls, { what: 'the request to reach slowpoke' });
      // … when slowpoke leaves
      net.writeRegistry((r) => {
        withSlowpoke(r);
        r.members = r.members.filter((m: { id: string }) => m.id !== 'slowpoke');
      });
      await net.reloadRegistry();
      expect(idsIn(await inFlight)).toContain('slowpoke:x'); // right for the snapshot it started with

      for (let i = 0; i < 2; i++) {
        const next = await ask();
        expect(next.status).toBe(200);
        expect(idsIn(next)).not.toContain('slowpoke:x');
      }
      expect(slow.dataCalls()).toBe(calls + 1);
    } finally {
      await slow.close();
    }
  });
});
