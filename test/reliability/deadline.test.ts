/**
 * A member's deadline measures the member, not the gateway: when the gateway's own event loop is
 * busy past the deadline, an answer that arrived in time is read, not reported as a timeout.
 */
import { MemberClient } from '../../gateway/src/fanout/member-client';
import { fakeMember, type FakeMember } from './support';

let member: FakeMember;
const client = new MemberClient({ maxResponseBytes: 100_000 });

beforeAll(async () => {
  member = await fakeMember(() => ({ text: JSON.stringify({ data: { services: [] } }), delayMs: 50 }));
});
afterAll(async () => {
  await client.close();
  await member?.close();
});

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

it('reads an answer that arrived in time while the gateway was busy past the deadline', async () => {
  await client.post(member.url, '{}', {}, 1000); // a warm connection
  for (let i = 0; i < 3; i++) {
    const call = client.post(member.url, JSON.stringify({ query: '{ services { id } }' }), {}, 300);
    // the member answers after 50 ms; the gateway is busy (planning, say) from 20 ms to 700 ms
    await new Promise((r) => setTimeout(r, 20));
    busy(680);
    const result = await call;
    expect(result.outcome).toBe('ok');
  }
});

it('still cuts a member that does not answer, within about one more deadline', async () => {
  const hung = await fakeMember(() => null);
  try {
    const started = performance.now();
    const result = await client.post(hung.url, '{}', {}, 200);
    expect(result.outcome).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(200 * 2 + 300);
    // and when the gateway was busy past the deadline: one extension, then the cut
    const late = client.post(hung.url, '{}', {}, 200);
    busy(400);
    const startedLate = performance.now();
    expect((await late).outcome).toBe('timeout');
    expect(performance.now() - startedLate).toBeLessThan(200 + 300);
  } finally {
    await hung.close();
  }
});
