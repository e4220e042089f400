/**
 * Proven callers at /graphql/stream: the stream is authenticated exactly as /graphql is (a bound
 * token needs a DPoP proof of this very request, whose htu is the stream endpoint), and since no
 * proof goes with the shared feed's polls, a `proven` member serves a proven subscriber only
 * PUBLIC changes while an `asserted` member serves its whole view.
 */
import { createCallerKeyPair, createCallerProof, type CallerKeyPair } from '../../common/auth/caller-proof';
import { ringMembers } from '../support/fixtures';
import { TestNetwork } from '../support/network';
import { changeOf, openStream, type OpenStream } from '../support/sse-client';
import { GENERIC_401_BODY, postRaw } from '../security/support';

jest.setTimeout(120_000);

const HIGH_INCIDENTS = 'subscription { networkChanged(kinds: [INCIDENT], minSeverity: HIGH) { kind id operation member severity } }';
const REPORT = 'mutation Report($i: IncidentInput!) { reportIncident(input: $i) { id } }';

describe('proven subscribers', () => {
  let net: TestNetwork;
  let stream: string;
  let key: CallerKeyPair;
  const open: OpenStream[] = [];

  beforeAll(async () => {
    // alpha checks proofs itself (proven), beta believes the gateway (asserted)
    const members = ringMembers(['alpha', 'beta']).map((m) => ({ ...m, callerPolicy: m.id === 'alpha' ? ('proven' as const) : ('asserted' as const) }));
    net = await TestNetwork.start(members, { streamPollMs: 100, streamHeartbeatMs: 1000 }, { publishGatewayEndpoint: true });
    stream = `${net.gateway.url}/stream`;
    key = await createCallerKeyPair({ extractable: false });
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(() => net?.stop());

  /** A proof for one POST of `body` with `token` to `htu`. */
  const proofFor = (token: string, body: string, htu: string) => createCallerProof({ key: key.privateKey, publicJwk: key.publicJwk, htm: 'POST', htu, token, body });

  async function subscribe(headers: Record<string, string>): Promise<OpenStream> {
    const s = await openStream(stream, HIGH_INCIDENTS, { headers });
    open.push(s);
    return s;
  }

  /** A member's own writer reports an incident through /graphql as a proven caller (a proven member takes writes only so). */
  async function report(member: string, id: string, visibility: string): Promise<string> {
    const token = await net.token(member, { scopes: ['read', 'write'], subject: 'writer', boundTo: key.thumbprint });
    const body = JSON.stringify({
      query: REPORT,
      variables: { i: { id, kind: 'DDOS', severity: 'CRITICAL', observedAt: '2026-11-01T10:00:00Z', visibility, summary: [{ lang: 'en', text: `attack ${id}` }] } },
    });
    const res = await postRaw(net.gateway.url, body, { authorization: `DPoP ${token}`, dpop: await proofFor(token, body, net.gatewayEndpoint!) });
    expect(res.json?.errors).toBeUndefined();
    return `${member}:${id}`;
  }

  it('refuses a bound token without a valid proof of this stream request (one generic 401), and replays', async () => {
    const token = await net.token('beta', { boundTo: key.thumbprint });
    const body = JSON.stringify({ query: HIGH_INCIDENTS });
    const refused = [
      await subscribe({ authorization: `Bearer ${token}` }), // a bound token as a bearer token
      await subscribe({ authorization: `DPoP ${token}` }), // no proof
      await subscribe({ authorization: `DPoP ${token}`, dpop: await proofFor(token, body, net.gatewayEndpoint!) }), // a proof for /graphql, not the stream
      await subscribe({ authorization: `DPoP ${token}`, dpop: await proofFor(token, JSON.stringify({ query: '{ services { id } }' }), stream) }), // another body
    ];
    for (const s of refused) {
      expect(s.status).toBe(401);
      expect(JSON.parse(s.text!)).toEqual(GENERIC_401_BODY);
    }
    const proof = await proofFor(token, body, stream);
    const first = await subscribe({ authorization: `DPoP ${token}`, dpop: proof });
    expect(first.status).toBe(200);
    const again = await subscribe({ authorization: `DPoP ${token}`, dpop: proof });
    expect(again.status).toBe(401);
  });

  it('a proven subscriber gets PUBLIC changes from a proven member and its whole view from an asserted member', async () => {
    const token = await net.token('beta', { boundTo: key.thumbprint });
    const body = JSON.stringify({ query: HIGH_INCIDENTS });
    const s = await subscribe({ authorization: `DPoP ${token}`, dpop: await proofFor(token, body, stream) });
    expect(s.status).toBe(200);
    const hiddenAtProven = await report('alpha', 'net-1', 'NETWORK');
    const publicAtProven = await report('alpha', 'pub-1', 'PUBLIC');
    const networkAtAsserted = await report('beta', 'net-2', 'NETWORK');
    const events = await s.next(2);
    const ids = events.map((e) => changeOf(e).id);
    expect(ids).toEqual(expect.arrayContaining([publicAtProven, networkAtAsserted]));
    // a later public change proves the feed has passed the NETWORK one at alpha: it never came
    const marker = await report('alpha', 'pub-2', 'PUBLIC');
    await s.waitFor((e) => e.event === 'next' && changeOf(e).id === marker);
    expect(s.events.filter((e) => e.event === 'next').map((e) => changeOf(e).id)).not.toContain(hiddenAtProven);
  });
});
