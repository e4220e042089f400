/**
 * Member deadlines, circuit breakers and the whole-request budget, against members that accept
 * connections and never answer, next to real member subgraphs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { fakeMember, healthyAnswer, timed, until, type FakeMember } from './support';

const DEADLINE = 800;
const HALF_OPEN = 1000;
const BUDGET = 400;
const SERVICES = '{ services { id } }';
const HEALTHY_IDS = ['alpha:pub', 'beta:pub'];
const ids = (body: { data?: Record<string, any> | null }) => (body.data?.services ?? []).map((s: { id: string }) => s.id);

let net: TestNetwork;
const fakes: FakeMember[] = [];

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), {
    memberDeadlineMs: DEADLINE,
    breakerFailures: 2,
    breakerHalfOpenMs: HALF_OPEN,
    rateLimitPoints: 100_000,
    // every request must reach the members: no response cache
    responseCacheTtlSeconds: 0,
  });
});
afterAll(async () => {
  for (const f of fakes) await f.close();
  await net?.stop();
});

async function fake(answer: Parameters<typeof fakeMember>[0]): Promise<FakeMember> {
  const f = await fakeMember(answer);
  fakes.push(f);
  return f;
}

describe('circuit breaker on a hung member', () => {
  let hang: FakeMember;

  beforeAll(async () => {
    // warm the query plan before the hung member joins, so timings measure the member only
    expect(ids((await net.query(SERVICES)).body)).toEqual(HEALTHY_IDS);
    hang = await fake(() => null); // accepts, never answers (health checks included)
    net.addExternalMember({ id: 'hang', url: hang.url });
    await net.reloadRegistry();
  });

  const breakerOf = async (id: string) => (await net.query(`{ member(id: "${id}") { status { breaker } } }`)).body.data!.member.status.breaker as string;

  it('costs one deadline per request until the breaker opens, then nothing; a half-open probe closes it', async () => {
    // 1. two failures, each bounded by the member deadline
    for (let i = 0; i < 2; i++) {
      const { ms, value } = await timed(() => net.query(SERVICES));
      expect(value.status).toBe(200);
      expect(value.body.extensions!.members.hang.status).toBe('timeout');
      expect(value.body.extensions!.members.alpha.status).toBe('ok');
      expect(ids(value.body)).toEqual(HEALTHY_IDS);
      expect(value.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'MEMBER_UNAVAILABLE', member: 'hang' }) })]);
      // the member gets its whole deadline (not cut short), and not much more
      expect(value.body.extensions!.members.hang.durationMs).toBeGreaterThanOrEqual(DEADLINE - 5);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE - 5);
      expect(ms).toBeLessThan(DEADLINE + 1000);
    }
    expect(await breakerOf('hang')).toBe('open');
    expect(await breakerOf('alpha')).toBe('closed');

    // 2. open: the hung member is not called and costs nothing
    const callsWhenOpened = hang.dataCalls();
    for (let i = 0; i < 3; i++) {
      const { ms, value } = await timed(() => net.query(SERVICES));
      expect(value.body.extensions!.members.hang.status).toBe('circuit_open');
      expect(value.body.extensions!.members.alpha.status).toBe('ok');
      expect(value.body.extensions!.members.beta.status).toBe('ok');
      expect(ids(value.body)).toEqual(HEALTHY_IDS);
      // not a deadline's wait (every closed-breaker request above took at least one): on a loaded
      // machine the healthy members' part alone has taken more than half of one
      expect(ms).toBeLessThan(DEADLINE - 5);
    }
    // no request called it (each answered circuit_open at once); at most the breaker's own
    // half-open probe went out, if this loaded machine took longer than its delay
    expect(hang.dataCalls()).toBeLessThanOrEqual(callsWhenOpened + 1);

    // 3. the member comes back: after the half-open delay a probe goes through and closes the breaker
    hang.answer = healthyAnswer({ data: { services: [{ id: 'hang:back', infrared__id: 'hang:back' }] } });
    const back = await until(
      async () => {
        const { body } = await net.query(SERVICES);
        expect(ids(body)).toEqual(expect.arrayContaining(HEALTHY_IDS));
        return body.extensions!.members.hang.status === 'ok' ? body : undefined;
      },
      { timeoutMs: HALF_OPEN + 5000, intervalMs: 100, what: 'the half-open probe to close the breaker' },
    );
    expect(ids(back)).toEqual([...HEALTHY_IDS, 'hang:back']);
    expect(back.errors).toBeUndefined();
    expect(await breakerOf('hang')).toBe('closed');
    expect(hang.dataCalls()).toBeGreaterThan(callsWhenOpened);
  });
});

describe('whole-request budget', () => {
  let gateway: Gateway;
  const hangs: FakeMember[] = [];

  beforeAll(async () => {
    // its own registry: the two real members and two members that pass health checks but hang on
    // every query, with their own deadline (3 s) far beyond the request budget
    const registry = parse(net.registryText());
    registry.members = registry.members.filter((m: { id: string }) => m.id === 'alpha' || m.id === 'beta');
    for (const id of ['hang-one', 'hang-two']) {
      const healthy = healthyAnswer();
      const f = await fake((req) => (req.method === 'GET' || req.body.includes('_service') ? healthy(req) : null));
      hangs.push(f);
      registry.members.push({ id, name: id, region: 'Elsewhere', countries: [], languages: ['en'], keys: [], url: f.url, deadlineMs: 3000 });
    }
    const registryFile = join(net.dir, 'budget.yaml');
    writeFileSync(registryFile, stringify(registry));
    gateway = await net.extraGateway({
      registryFile,
      memberDeadlineMs: 3000,
      requestBudgetMs: BUDGET,
      breakerFailures: 100,
      responseCacheTtlSeconds: 0,
    });
    await post(gateway.url, SERVICES); // warm the plan
  });
  afterAll(() => gateway?.stop({ drainTimeoutMs: 100 }));

  it('bounds a request by its budget, however long the members’ deadlines are', async () => {
    const before = hangs.map((h) => h.dataCalls());
    for (let i = 0; i < 2; i++) {
      const { ms, value } = await timed(() => post(gateway.url, SERVICES));
      expect(value.status).toBe(200);
      expect(ids(value.body)).toEqual(HEALTHY_IDS);
      expect(value.body.extensions!.members['hang-one'].status).toBe('timeout');
      expect(value.body.extensions!.members['hang-two'].status).toBe('timeout');
      expect(ms).toBeGreaterThanOrEqual(BUDGET - 50);
      expect(ms).toBeLessThan(BUDGET + 1100); // far under one member deadline (3 s), let alone two
    }
    expect(hangs.map((h) => h.dataCalls())).toEqual(before.map((n) => n + 2));
  });
});
