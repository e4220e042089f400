/**
 * Live subscriptions at the gateway over SSE (/graphql/stream), against real member subgraphs,
 * a real gateway and real HTTP: delivery, visibility, resumption with Last-Event-ID (also across
 * a gateway restart), the edge's refusals, limits and heartbeats.
 */
import { request } from 'undici';
import { ringMembers } from '../support/fixtures';
import { decodeJwt } from 'jose';
import { issueCallerToken } from '../../common/auth/caller-token';
import { NETWORK_ID, TestNetwork } from '../support/network';
import { changeOf, openStream, type OpenStream } from '../support/sse-client';

jest.setTimeout(120_000);

const ALL = 'subscription { networkChanged { kind id operation member at severity } }';
const HIGH_INCIDENTS = 'subscription { networkChanged(kinds: [INCIDENT], minSeverity: HIGH) { kind id operation member severity } }';

const REPORT = 'mutation Report($i: IncidentInput!) { reportIncident(input: $i) { id } }';

describe('live subscriptions over SSE', () => {
  let net: TestNetwork;
  let stream: string;
  const open: OpenStream[] = [];
  let writer: string;
  let seq = 0;

  async function report(severity: string, visibility = 'PUBLIC', id = `inc-${++seq}`): Promise<string> {
    const { body } = await net.query(REPORT, {
      token: writer,
      variables: { i: { id, kind: 'DDOS', severity, observedAt: '2026-11-01T10:00:00Z', visibility, summary: [{ lang: 'en', text: `attack ${id}` }] } },
    });
    expect(body.errors).toBeUndefined();
    return `alpha:${id}`;
  }

  async function subscribe(query: string, opts: Parameters<typeof openStream>[2] = {}): Promise<OpenStream> {
    const s = await openStream(stream, query, opts);
    open.push(s);
    return s;
  }

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { streamPollMs: 100, streamHeartbeatMs: 1000, maxSubscriptionsPerCaller: 5 });
    stream = `${net.gateway.url}/stream`;
    writer = await net.token('alpha', { scopes: ['read', 'write'], subject: 'writer' });
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(() => net.stop());

  it('streams a change made at a member to an anonymous subscriber, with the network cursor as the event id', async () => {
    const s = await subscribe(ALL);
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    // the stream is answered once the gateway's feed stands at the present: a change made at once arrives
    const id = await report('HIGH');
    const [event] = await s.next(1);
    expect(changeOf(event)).toEqual({ kind: 'INCIDENT', id, operation: 'UPSERT', member: 'alpha', at: expect.any(String), severity: 'HIGH' });
    expect(event.id).toMatch(/^n1\./);
    expect(JSON.parse(event.data).extensions.cursor).toBe(event.id);
  });

  it('applies visibility: a NETWORK incident reaches a token holder only, and one narrowed to OWNER reaches it as a REMOVE', async () => {
    const anonymous = await subscribe(HIGH_INCIDENTS);
    const beta = await subscribe(HIGH_INCIDENTS, { token: await net.token('beta') });
    const id = await report('CRITICAL', 'NETWORK');
    const [seen] = await beta.next(1);
    expect(changeOf(seen)).toMatchObject({ id, operation: 'UPSERT', severity: 'CRITICAL' });
    await report('CRITICAL', 'OWNER', id.split(':')[1]);
    const events = await beta.next(2);
    expect(changeOf(events[1])).toMatchObject({ id, operation: 'REMOVE' });
    // a public one afterwards: the anonymous subscriber gets it, and never saw the network one
    const pub = await report('HIGH', 'PUBLIC');
    const [first] = await anonymous.next(1);
    expect(changeOf(first).id).toBe(pub);
    expect(anonymous.events.filter((e) => e.event === 'next').map((e) => changeOf(e).id)).not.toContain(id);
  });

  it('filters by minSeverity: LOW incidents do not reach a HIGH subscriber', async () => {
    const s = await subscribe(HIGH_INCIDENTS);
    const low = await report('LOW');
    const high = await report('HIGH');
    const [event] = await s.next(1);
    expect(changeOf(event).id).toBe(high);
    expect(s.events.some((e) => e.event === 'next' && changeOf(e).id === low)).toBe(false);
  });

  it('resumes after Last-Event-ID: the changes made while disconnected, each once', async () => {
    const s = await subscribe(ALL);
    await report('HIGH');
    const [event] = await s.next(1);
    s.close();
    const missed = [await report('MEDIUM'), await report('CRITICAL')];
    const resumed = await subscribe(ALL, { lastEventId: event.id });
    const events = await resumed.next(2);
    expect(events.map((e) => changeOf(e).id)).toEqual(missed);
    await new Promise((r) => setTimeout(r, 400));
    expect(resumed.events.filter((e) => e.event === 'next')).toHaveLength(2);
  });

  it('sends heartbeat comments on an idle stream', async () => {
    const s = await subscribe(HIGH_INCIDENTS);
    await s.waitFor((e) => e.event === 'comment' && e.data === 'heartbeat', 5000);
  });

  it('serves subscriptions only, with Accept: text/event-stream, and keeps /graphql’s CSRF rule', async () => {
    const query = await subscribe('{ network { name } }');
    expect(query.status).toBe(400);
    expect(JSON.parse(query.text!).errors[0].extensions.code).toBe('BAD_SUBSCRIPTION');
    const plain = await request(stream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ALL }) });
    expect(plain.statusCode).toBe(406);
    await plain.body.dump();
    // a form post a browser would send cross-site without a preflight
    const form = await subscribe(ALL, { headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(400);
    const bareGet = await subscribe(ALL, { method: 'GET' });
    expect(bareGet.status).toBe(400);
    const get = await subscribe(ALL, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    const invalid = await subscribe('subscription { networkChanged(kinds: [NOT_A_KIND]) { id } }');
    expect(invalid.status).toBe(400);
  });

  it('refuses a body over maxRequestBodyBytes with 413 PAYLOAD_TOO_LARGE before anything else', async () => {
    const huge = JSON.stringify({ query: ALL, variables: { pad: 'x'.repeat(net.gateway.config.maxRequestBodyBytes + 1) } });
    const res = await request(stream, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: huge });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses forged, expired and other-network tokens with one generic 401', async () => {
    const good = await net.token('alpha');
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${'A'.repeat(86)}`;
    const otherNetwork = await issueFor(net, 'alpha', { audience: 'another-network' });
    const expired = await issueFor(net, 'alpha', { ttlSeconds: 600, now: Date.now() - 3_600_000 });
    for (const token of [forged, otherNetwork, expired]) {
      const s = await subscribe(ALL, { token });
      expect(s.status).toBe(401);
      expect(JSON.parse(s.text!).errors[0]).toEqual({ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('ends a stream when its token expires', async () => {
    const token = await issueFor(net, 'beta', { ttlSeconds: 2 });
    const s = await subscribe(ALL, { token });
    expect(s.status).toBe(200);
    const event = await s.waitFor((e) => e.event === 'next' && 'errors' in JSON.parse(e.data), 10_000);
    expect(JSON.parse(event.data).errors).toEqual([{ message: expect.stringMatching(/token expired/), extensions: { code: 'UNAUTHENTICATED' } }]);
    await s.waitFor((e) => e.event === 'complete');
    await s.ended;
  });

  it('ends a stream whose token is revoked in the registry (a final UNAUTHENTICATED event), and no other', async () => {
    const revoked = await net.token('beta', { subject: 'revoked' });
    const kept = await net.token('beta', { subject: 'kept' });
    const doomed = await subscribe(ALL, { token: revoked });
    const other = await subscribe(ALL, { token: kept });
    expect([doomed.status, other.status]).toEqual([200, 200]);
    const { jti } = decodeJwt(revoked);
    try {
      net.writeRegistry((r) => (r.members.find((m: { id: string }) => m.id === 'beta').revocations = { jti: [jti] }));
      await net.reloadRegistry();
      const event = await doomed.waitFor((e) => e.event === 'next' && 'errors' in JSON.parse(e.data), 10_000);
      expect(JSON.parse(event.data).errors).toEqual([{ message: expect.stringMatching(/revoked/), extensions: { code: 'UNAUTHENTICATED' } }]);
      await doomed.waitFor((e) => e.event === 'complete');
      await doomed.ended;
      // nothing after the revocation reaches it; the other token's stream goes on
      const id = await report('HIGH');
      const [seen] = await other.next(1);
      expect(changeOf(seen).id).toBe(id);
      expect(doomed.events.filter((e) => e.event === 'next' && !('errors' in JSON.parse(e.data)))).toEqual([]);
      // and the revoked token cannot open a new one
      expect((await subscribe(ALL, { token: revoked })).status).toBe(401);
      expect(await metric(net, 'infrared_gateway_stream_subscribers_dropped_total{reason="token_revoked"}')).toBe(1);
    } finally {
      net.writeRegistry();
      await net.reloadRegistry();
    }
  });

  it('reports live subscriptions in /metrics: subscribers, shared feeds, upstream polls, events delivered', async () => {
    const a = await subscribe(ALL);
    const b = await subscribe(ALL);
    await subscribe(ALL, { token: await net.token('beta', { subject: 'metrics' }) });
    // (the streams of earlier tests are being closed: their slots go a moment later)
    await waitUntil(async () => (await metric(net, 'infrared_gateway_stream_subscribers')) === 3);
    expect(await metric(net, 'infrared_gateway_stream_shared_feeds')).toBe(2);
    const delivered = (await metric(net, 'infrared_gateway_stream_events_delivered_total')) ?? 0;
    const polls = (await metric(net, 'infrared_gateway_stream_upstream_polls_total')) ?? 0;
    await report('HIGH');
    await Promise.all([a.next(1), b.next(1)]);
    await waitUntil(async () => ((await metric(net, 'infrared_gateway_stream_events_delivered_total')) ?? 0) >= delivered + 3);
    expect(await metric(net, 'infrared_gateway_stream_upstream_polls_total')).toBeGreaterThan(polls);
    a.close();
    await waitUntil(async () => (await metric(net, 'infrared_gateway_stream_subscribers')) === 2);
  });

  it('limits live subscriptions per caller (429 TOO_MANY_SUBSCRIPTIONS) and frees a slot when a stream closes', async () => {
    const token = await net.token('beta', { subject: 'greedy' });
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await subscribe(ALL, { token }));
    expect(held.every((s) => s.status === 200)).toBe(true);
    const sixth = await subscribe(ALL, { token });
    expect(sixth.status).toBe(429);
    expect(JSON.parse(sixth.text!).errors[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    // another caller is not affected
    expect((await subscribe(ALL, { token: await net.token('beta', { subject: 'other' }) })).status).toBe(200);
    held[0].close();
    await waitUntil(async () => (await subscribe(ALL, { token })).status === 200);
  });

  it('shares one upstream feed among the subscribers of one caller class', async () => {
    const token = await net.token('beta', { subject: 'many' });
    for (let i = 0; i < 4; i++) await subscribe(ALL, { token: await net.token('beta', { subject: `s${i}` }) });
    await subscribe(ALL, { token });
    await subscribe(ALL);
    const stats = (net.gateway as unknown as { subscriptions: { stats(): { feeds: number; subscribers: number } } }).subscriptions.stats();
    expect(stats).toEqual({ feeds: 2, subscribers: 6 });
  });
});

describe('across a gateway restart', () => {
  it('a subscriber that resumes with its last event id misses no change made while the gateway was down', async () => {
    const net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { streamPollMs: 100 });
    try {
      const writer = await net.token('alpha', { scopes: ['read', 'write'] });
      const report = async (id: string) => {
        const { body } = await net.query(REPORT, { token: writer, variables: { i: { id, kind: 'SPAM', severity: 'HIGH', observedAt: '2026-11-01T10:00:00Z', visibility: 'PUBLIC' } } });
        expect(body.errors).toBeUndefined();
      };
      const first = await openStream(`${net.gateway.url}/stream`, HIGH_INCIDENTS);
      await report('before');
      const [event] = await first.next(1);
      await net.gateway.stop();
      await first.ended; // the gateway ended the stream (without `complete`: the client reconnects)
      expect(first.events.some((e) => e.event === 'complete')).toBe(false);
      // a new gateway process: no history in memory, it must take the subscriber's cursor to the members
      const second = await net.extraGateway({
        registryPollMs: 200,
        responseCacheTtlSeconds: 0,
        streamPollMs: 100,
      });
      net.gateway = second;
      // changes made while the subscriber is disconnected
      await report('while-away-1');
      await report('while-away-2');
      const resumed = await openStream(`${second.url}/stream`, HIGH_INCIDENTS, { lastEventId: event.id });
      const events = await resumed.next(2);
      expect(events.map((e) => changeOf(e).id)).toEqual(['alpha:while-away-1', 'alpha:while-away-2']);
      await report('after');
      const all = await resumed.next(3);
      expect(changeOf(all[2]).id).toBe('alpha:after');
      resumed.close();
    } finally {
      await net.stop();
    }
  });
});

/** One sample of the gateway's /metrics, or undefined when absent. */
async function metric(net: TestNetwork, line: string): Promise<number | undefined> {
  const text = await (await fetch(net.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function issueFor(net: TestNetwork, member: string, opts: { ttlSeconds?: number; audience?: string; now?: number }): Promise<string> {
  return issueCallerToken({
    key: net.keys.get(member)!,
    member,
    subject: `${member}-tester`,
    scopes: ['read'],
    audience: opts.audience ?? NETWORK_ID,
    ttlSeconds: opts.ttlSeconds ?? 600,
    now: opts.now,
  });
}
