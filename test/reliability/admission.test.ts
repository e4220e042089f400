/**
 * Admission control at the gateway: a bounded number of requests and member calls at once, a
 * short bounded wait, then 503 OVERLOADED with Retry-After. Waiting in the gateway's own queue is
 * never reported as a member failure, and healthy members' data never goes missing from a 200.
 */
import { connect } from 'node:net';
import type { Gateway } from '../../gateway/src/app';
import { ringMembers } from '../support/fixtures';
import { post, TestNetwork } from '../support/network';
import { gatewayOver } from './gateway-over';
import { fakeMember, healthyAnswer, rawRequest, type FakeMember } from './support';

const SLOW_MS = 600;
const SERVICES = '{ services { id } }';
let net: TestNetwork;
let slow: FakeMember;
const gateways: Gateway[] = [];

beforeAll(async () => {
  net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { rateLimitPoints: 1_000_000 });
  // a healthy member that takes its time: every answer comes after SLOW_MS, well within its deadline
  slow = await fakeMember(healthyAnswer({ data: { services: [{ id: 'slow:one', infrared__id: 'slow:one' }] }, delayMs: SLOW_MS }));
});
afterAll(async () => {
  for (const g of gateways) await g.stop({ drainTimeoutMs: 100 });
  await slow?.close();
  await net?.stop();
});

async function gateway(options: Parameters<typeof gatewayOver>[1]['options']): Promise<Gateway> {
  const g = await gatewayOver(net, { real: ['alpha'], extra: [{ id: 'slow', url: slow.url }], options: { memberDeadlineMs: 3000, requestBudgetMs: 5000, breakerFailures: 1, ...options } });
  gateways.push(g);
  await post(g.url, SERVICES); // plan once
  return g;
}

const ids = (body: { data?: Record<string, any> | null }) => (body.data?.services ?? []).map((s: { id: string }) => s.id).sort();

describe('member-call slots', () => {
  it('sheds what cannot get a slot in time with 503 OVERLOADED + Retry-After; every 200 is complete and the member is not blamed', async () => {
    // one call at a time to a member, one waiting, 150 ms of waiting at most: of 8 concurrent
    // requests (no sharing), one runs, the rest wait or are refused at once
    const g = await gateway({ memberConcurrency: 1, admissionQueue: 1, admissionWaitMs: 150, dedupeRequests: false });
    const before = slow.dataCalls();
    const answers = await Promise.all(Array.from({ length: 8 }, () => rawRequest(g.url, { body: JSON.stringify({ query: SERVICES }), timeoutMs: 10_000 })));
    const shed = answers.filter((a) => a.status === 503);
    const ok = answers.filter((a) => a.status === 200);
    expect(shed.length).toBeGreaterThan(0);
    expect(ok.length).toBeGreaterThan(0);
    expect(shed.length + ok.length).toBe(8);
    for (const a of shed) {
      expect(a.json.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'OVERLOADED' }) })]);
      expect(a.json.data).toBeUndefined();
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // the slow member is not reported as timed out or failed: it was the gateway's queue
      expect(a.json.extensions?.members?.slow?.status ?? 'overloaded').toBe('overloaded');
    }
    for (const a of ok) {
      expect(ids(a.json)).toEqual(['alpha:pub', 'slow:one']);
      expect(a.json.errors).toBeUndefined();
    }
    // shed calls never reached the member, and the breaker (1 failure opens it) is still closed
    expect(slow.dataCalls() - before).toBe(ok.length);
    expect(g.caller.breakerState('slow')).toBe('closed');
    const metrics = await (await fetch(g.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(Number(/infrared_gateway_shed_total\{stage="member_call"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(shed.length);
    expect(metrics).toMatch(/infrared_gateway_member_concurrency_limit\{member="slow"\} 1\b/);
    // the queue drains: the next request is served in full
    const after = await post(g.url, SERVICES);
    expect(after.status).toBe(200);
    expect(ids(after.body)).toEqual(['alpha:pub', 'slow:one']);
  });

  it('a call that waited for its slot gets its whole deadline, counted from when it was sent', async () => {
    // a member answering in 1000 ms, a deadline of 1800 ms, one call at a time: the second call
    // waits about 1000 ms for the slot and must still get its full 1800 ms once sent (counted
    // from the queue, it would have 800 ms left and time out)
    const slower = await fakeMember(healthyAnswer({ data: { services: [{ id: 'slower:one', infrared__id: 'slower:one' }] }, delayMs: 1000 }));
    try {
      const g = await gatewayOver(net, {
        real: ['alpha'],
        extra: [{ id: 'slower', url: slower.url }],
        options: { memberConcurrency: 1, admissionQueue: 4, admissionWaitMs: 3000, dedupeRequests: false, memberDeadlineMs: 1800, requestBudgetMs: 5000, breakerFailures: 1 },
      });
      gateways.push(g);
      const answers = await Promise.all(Array.from({ length: 2 }, () => post(g.url, SERVICES)));
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(ids(a.body)).toEqual(['alpha:pub', 'slower:one']);
        expect(a.body.extensions!.members.slower.status).toBe('ok');
      }
      expect(g.caller.breakerState('slower')).toBe('closed');
    } finally {
      await slower.close();
    }
  });
});

describe('request slots', () => {
  it('sheds requests beyond the concurrent limit and the queue with 503 OVERLOADED + Retry-After', async () => {
    const g = await gateway({ maxConcurrentRequests: 1, admissionQueue: 0 });
    const [first, second] = await Promise.all([
      rawRequest(g.url, { body: JSON.stringify({ query: SERVICES }) }),
      new Promise((r) => setTimeout(r, 100)).then(() => rawRequest(g.url, { body: JSON.stringify({ query: SERVICES }) })),
    ]);
    expect(first.status).toBe(200);
    expect(ids(first.json)).toEqual(['alpha:pub', 'slow:one']);
    expect(second.status).toBe(503);
    expect(second.json.errors[0].extensions.code).toBe('OVERLOADED');
    expect(second.headers['retry-after']).toBe('1');
  });

  it('a client that sends its body slowly holds no slot', async () => {
    const g = await gateway({ maxConcurrentRequests: 1, admissionQueue: 0 });
    const u = new URL(g.url);
    const body = JSON.stringify({ query: SERVICES });
    const slow = connect({ host: u.hostname, port: Number(u.port) });
    await new Promise((r) => slow.once('connect', r));
    slow.write(`POST /graphql HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 200));
    const other = await post(g.url, SERVICES);
    expect(other.status).toBe(200);
    expect(ids(other.body)).toEqual(['alpha:pub', 'slow:one']);
    slow.destroy();
  });

  it('lets a request wait briefly for a slot instead of refusing it', async () => {
    const g = await gateway({ maxConcurrentRequests: 1, admissionQueue: 4, admissionWaitMs: 3 * SLOW_MS });
    const answers = await Promise.all(Array.from({ length: 2 }, () => post(g.url, SERVICES)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
  });
});
