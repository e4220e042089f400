/**
 * B. What reaches the logs: the specific reason for a refusal, never a token or an assertion.
 * The gateway and one member subgraph log at debug level into memory, with the services' redaction.
 */
import { signAssertion } from '../../common/auth/assertion';
import type { AuthRefusal } from '../../common/auth/errors';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { serveMember } from '../../subgraphs/member/src/serve';
import { ringMembers } from '../support/fixtures';
import { GATEWAY_ID, TestNetwork } from '../support/network';
import { callerOf, capturingLogger, gqlBody, nowS, postRaw, settle, signClaims, tokenClaims, withPayload } from './support';

/** Every piece of a JWT that must not appear in a log: the whole, the payload and the signature. */
function secretParts(jwt: string): string[] {
  const [, payload, signature] = jwt.split('.');
  return [jwt, payload, signature].filter((p) => p && p.length >= 16);
}

describe('gateway log: reasons yes, tokens never', () => {
  const gatewayLog = capturingLogger('gateway');
  let net: TestNetwork;
  const sent: string[] = [];

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']), { logger: gatewayLog.logger });
  });
  afterAll(() => net?.stop());

  const ask = (authorization: string, query = '{ viewer { anonymous } services { id } }') => postRaw(net.gateway.url, gqlBody(query), { authorization });

  type Case = [string, () => Promise<string>, RegExp, AuthRefusal];
  const refusals: Case[] = [
    [
      'expired',
      async () => {
        const now = nowS();
        return signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { iat: now - 3600, nbf: now - 3600, exp: now - 300 }));
      },
      /expired/i,
      'REJECTED_BY_VERIFIER',
    ],
    ['tampered (bad signature)', async () => withPayload(await net.token('alpha'), (c) => (c.scope = 'read write')), /signature/i, 'REJECTED_BY_VERIFIER'],
    ['unknown kid', async () => signClaims(net.keys.get('alpha')!, tokenClaims('alpha'), { kid: 'kid-that-nobody-pinned' }), /unknown kid/i, 'UNKNOWN_KEY'],
    ['wrong audience', async () => signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { aud: 'elsewhere' })), /\(aud\)/, 'REJECTED_BY_VERIFIER'],
    ['not-yet-valid (nbf)', async () => signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { nbf: nowS() + 600, exp: nowS() + 900 })), /\(nbf\)/, 'REJECTED_BY_VERIFIER'],
    [
      'postdated (iat in the future)',
      async () => signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { iat: nowS() + 600, nbf: nowS(), exp: nowS() + 900 })),
      /issued in the future/,
      'ISSUED_IN_FUTURE',
    ],
    ['unknown issuer', async () => signClaims(net.keys.get('alpha')!, tokenClaims('delta')), /not a registered member/i, 'UNKNOWN_ISSUER'],
    ['lifetime over 30 days', async () => signClaims(net.keys.get('alpha')!, tokenClaims('alpha', { exp: nowS() + 40 * 24 * 3600 })), /30 days/, 'LIFETIME_TOO_LONG'],
  ];

  it.each(refusals)('logs the reason and its refusal code for a %s token, and not the token', async (_name, build, reason, refusal) => {
    const token = await build();
    sent.push(token);
    const res = await ask(`Bearer ${token}`);
    expect(res.status).toBe(401);
    await settle();
    const refused = gatewayLog.lines().filter((l) => l.msg === 'caller token refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[refused.length - 1].reason).toMatch(reason);
    expect(refused[refused.length - 1].refusal).toBe(refusal);
    // the client still gets one generic refusal, without the code
    expect(res.json.errors[0]).toMatchObject({ message: 'Authentication failed', extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.text).not.toContain(refusal);
    const log = gatewayLog.text();
    for (const part of secretParts(token)) expect(log).not.toContain(part);
  });

  it('logs a malformed Authorization header without its content', async () => {
    const secret = 'c2VjcmV0LXBhc3N3b3JkLXRoYXQtbXVzdC1ub3QtbGVhaw';
    const res = await ask(`Basic ${secret}`);
    expect(res.status).toBe(401);
    await settle();
    const refused = gatewayLog.lines().filter((l) => l.msg === 'caller token refused');
    expect(refused[refused.length - 1].reason).toMatch(/malformed Authorization header/);
    expect(gatewayLog.text()).not.toContain(secret);
  });

  it('never logs the token of accepted requests either (reads, writes, refused writes, member failures)', async () => {
    const reader = await net.token('alpha', { scopes: ['read'] });
    const writer = await net.token('alpha', { scopes: ['read', 'write'] });
    const other = await net.token('beta');
    sent.push(reader, writer, other);
    await ask(`Bearer ${reader}`);
    await ask(`Bearer ${reader}`, 'mutation { removeService(id: "alpha:nothing") }');
    await ask(`Bearer ${writer}`, 'mutation { removeService(id: "alpha:nothing") }');
    await ask(`Bearer ${other}`, '{ service(id: "beta:own") { id sharedWith } }');
    // a member going down makes the gateway log; the log line must not carry the caller's token
    const beta = net.members.get('beta')!;
    const port = beta.port;
    await beta.stop();
    try {
      await ask(`Bearer ${other}`, '{ services { id } members { services { id } } }');
    } finally {
      await net.startMember({ id: 'beta' }, port);
    }
    await settle();
    const log = gatewayLog.text();
    expect(log).toContain('member unavailable');
    for (const token of sent) for (const part of secretParts(token)) expect(log).not.toContain(part);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT-looking string at all
  });
});

describe('member log: reasons yes, assertions never', () => {
  const memberLog = capturingLogger('member:alpha');
  let net: TestNetwork;
  let member: MemberSubgraph;
  const sent: string[] = [];

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
    // a second alpha subgraph over the same database, logging into memory
    member = await serveMember(
      { memberId: 'alpha', languages: ['en'], port: 0, host: '127.0.0.1', registryFile: net.registryFile, databaseSchema: 'unused', acceptDirectTokens: false, callerPolicy: 'asserted' },
      { logger: memberLog.logger, orm: net.orms.get('alpha')! },
    );
  });
  afterAll(async () => {
    await member?.stop();
    await net?.stop();
  });

  const body = gqlBody('{ services { id } }');

  type Case = [string, () => Promise<{ assertion: string; body: string }>, RegExp];
  const refusals: Case[] = [
    [
      'expired',
      async () => ({
        assertion: await signAssertion({ key: net.gatewayKey, gatewayId: GATEWAY_ID, member: 'alpha', caller: callerOf('alpha'), body, now: Date.now() - 600_000 }),
        body,
      }),
      /expired/i,
    ],
    ['body altered', async () => ({ assertion: await net.assertion('alpha', callerOf('alpha'), body), body: gqlBody('{ services { id name } }') }), /body hash/],
    ['for another member', async () => ({ assertion: await net.assertion('beta', callerOf('alpha'), body), body }), /\(aud\)/],
  ];

  it.each(refusals)('logs the reason for an assertion that is %s, and not the assertion', async (_name, build, reason) => {
    const { assertion, body: sentBody } = await build();
    sent.push(assertion);
    const res = await postRaw(member.url, sentBody, { 'infrared-assertion': assertion });
    expect(res.status).toBe(401);
    await settle();
    const refused = memberLog.lines().filter((l) => l.msg === 'sub-request refused');
    expect(refused[refused.length - 1].reason).toMatch(reason);
    for (const part of secretParts(assertion)) expect(memberLog.text()).not.toContain(part);
  });

  it('logs a replay without the assertion', async () => {
    const assertion = await net.assertion('alpha', callerOf('beta'), body);
    sent.push(assertion);
    expect((await postRaw(member.url, body, { 'infrared-assertion': assertion })).status).toBe(200);
    expect((await postRaw(member.url, body, { 'infrared-assertion': assertion })).status).toBe(401);
    await settle();
    const refused = memberLog.lines().filter((l) => l.msg === 'sub-request refused');
    expect(refused[refused.length - 1].reason).toMatch(/replayed/);
    const log = memberLog.text();
    for (const a of sent) for (const part of secretParts(a)) expect(log).not.toContain(part);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
