/**
 * Breakers count only the member's own failures, weighted by the requests that waited on them,
 * and an open breaker is probed in the background: no user request is ever the probe.
 */
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { gatewayOver } from './gateway-over';
import { fakeMember, healthyAnswer, timed, until, type FakeMember, type FakeRequest } from './support';

// a request that waited on a hung probe would take at least DEADLINE: long enough above ordinary latency on a loaded CI machine
const DEADLINE = 1500;
const PROBE_AFTER = 1600;
const SERVICES = '{ services { id } }';
const HEALTHY = ['alpha:pub', 'beta:pub'];
let net: TestNetwork;
const fakes: FakeMember[] = [];
const gateways: Gateway[] = [];

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { rateLimitPoints: 1_000_000 });
});
afterAll(async () => {
  for (const g of gateways) await g.stop({ drainTimeoutMs: 100 });
  for (const f of fakes) await f.close();
  await net?.stop();
});

/** A member whose health check and SDL answer, and whose every data query hangs. */
async function hungMember(): Promise<FakeMember> {
  const healthy = healthyAnswer();
  const f = await fakeMember((req) => (req.method === 'GET' || req.body.includes('_service') ? healthy(req) : null));
  fakes.push(f);
  return f;
}

async function gateway(hang: FakeMember, options: Record<string, unknown> = {}): Promise<Gateway> {
  const g = await gatewayOver(net, {
    real: ['alpha', 'beta'],
    extra: [{ id: 'hang', url: hang.url }],
    options: { memberDeadlineMs: DEADLINE, breakerFailures: 3, breakerHalfOpenMs: PROBE_AFTER, healthIntervalMs: 600_000, ...options },
  });
  gateways.push(g);
  return g;
}

const ids = (body: { data?: Record<string, any> | null }) => (body.data?.services ?? []).map((s: { id: string }) => s.id).sort();
const isProbe = (r: FakeRequest) => r.method === 'POST' && String(r.headers['x-request-id'] ?? '').startsWith('breaker-probe-');
const userCalls = (f: FakeMember) => f.requests.filter((r) => r.method === 'POST' && !r.body.includes('_service') && !isProbe(r)).length;

it('a call shared by many anonymous requests counts once per request: one deadline opens the breaker', async () => {
  const hang = await hungMember();
  const g = await gateway(hang);
  // five identical anonymous requests at once share one call to the hung member
  const wave = await Promise.all(Array.from({ length: 5 }, () => post(g.url, SERVICES)));
  for (const a of wave) {
    expect(ids(a.body)).toEqual(HEALTHY);
    expect(a.body.extensions!.members.hang.status).toBe('timeout');
  }
  expect(userCalls(hang)).toBe(1);
  expect(g.caller.breakerState('hang')).not.toBe('closed');
  // from now on the hung member costs nothing
  const { ms, value } = await timed(() => post(g.url, SERVICES));
  expect(value.body.extensions!.members.hang.status).toBe('circuit_open');
  expect(ids(value.body)).toEqual(HEALTHY);
  expect(ms).toBeLessThan(DEADLINE);
  expect(userCalls(hang)).toBe(1);
});

it('authenticated traffic: a hung member costs its deadline once, then nothing', async () => {
  const hang = await hungMember();
  const g = await gateway(hang);
  const tokens = await Promise.all(['s1', 's2', 's3', 's4'].map((subject) => net.token('alpha', { subject })));
  const wave = await Promise.all(tokens.map((token) => post(g.url, SERVICES, { token })));
  for (const a of wave) expect(a.body.extensions!.members.hang.status).toBe('timeout');
  expect(g.caller.breakerState('hang')).not.toBe('closed');
  const calls = userCalls(hang);
  for (const token of tokens) {
    const { ms, value } = await timed(() => post(g.url, SERVICES, { token }));
    expect(value.body.extensions!.members.hang.status).toBe('circuit_open');
    expect(value.body.extensions!.members.alpha.status).toBe('ok');
    expect(ms).toBeLessThan(DEADLINE);
  }
  expect(userCalls(hang)).toBe(calls);
});

it('probes an open breaker in the background: user requests never wait on a probe, and it closes when the member is back', async () => {
  const hang = await hungMember();
  const g = await gateway(hang);
  await Promise.all(Array.from({ length: 3 }, () => post(g.url, SERVICES)));
  expect(g.caller.breakerState('hang')).not.toBe('closed');
  const callsWhenOpened = userCalls(hang);

  // over several probe periods, with the member still hung: probes go out, users never wait
  const until3Probes = Date.now() + PROBE_AFTER * 3 + DEADLINE * 3 + 500;
  let slowest = 0;
  while (Date.now() < until3Probes) {
    const { ms, value } = await timed(() => post(g.url, SERVICES));
    expect(ids(value.body)).toEqual(HEALTHY);
    expect(value.body.extensions!.members.hang.status).toBe('circuit_open');
    slowest = Math.max(slowest, ms);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(slowest).toBeLessThan(DEADLINE); // no request ever waited for the hung probe
  expect(hang.requests.filter(isProbe).length).toBeGreaterThanOrEqual(2);
  expect(userCalls(hang)).toBe(callsWhenOpened);

  // the member comes back: a background probe closes the breaker, without any user request
  hang.answer = healthyAnswer({ data: { services: [{ id: 'hang:back', infrared__id: 'hang:back' }] } });
  await until(() => g.caller.breakerState('hang') === 'closed', { timeoutMs: PROBE_AFTER + DEADLINE * 2 + 3000, what: 'a background probe to close the breaker' });
  expect(userCalls(hang)).toBe(callsWhenOpened);
  const back = await post(g.url, SERVICES);
  expect(ids(back.body)).toEqual([...HEALTHY, 'hang:back']);
  expect(back.body.errors).toBeUndefined();
});

it("time spent waiting in the gateway's own queue is not a member failure", async () => {
  // a healthy member answering in 300 ms, one call at a time: waiters are shed (503) or served,
  // never reported as member timeouts, and the breaker (one failure would open it) stays closed
  const slow = await fakeMember(healthyAnswer({ data: { services: [] }, delayMs: 300 }));
  fakes.push(slow);
  const g = await gateway(slow, { breakerFailures: 1, memberConcurrency: 1, admissionQueue: 8, admissionWaitMs: 100, dedupeRequests: false, memberDeadlineMs: 1000 });
  const answers = await Promise.all(Array.from({ length: 6 }, () => post(g.url, SERVICES)));
  expect(answers.some((a) => a.status === 503)).toBe(true);
  for (const a of answers) {
    if (a.status === 503) expect(a.body.errors![0].extensions!.code).toBe('OVERLOADED');
    else expect(a.body.extensions!.members.hang.status).toBe('ok');
  }
  expect(g.caller.breakerState('hang')).toBe('closed');
});
