/**
 * C. A member subgraph called directly: no assertion is anonymous, a valid gateway assertion is
 * the asserted caller, and an assertion that is present but invalid is one generic 401.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { bodyHash, signAssertion } from '../../common/auth/assertion';
import { createKeyPair, importKey, publicPart } from '../../common/auth/keys';
import { ringMembers } from '../support/fixtures';
import { GATEWAY_ID, TestNetwork } from '../support/network';
import { b64json, callerOf, GENERIC_401_BODY, gqlBody, nowS, postRaw, withPayload } from './support';

const SERVICES = '{ services { id } }';

describe('member subgraph: gateway assertions', () => {
  let net: TestNetwork;
  let alphaUrl: string;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers());
    alphaUrl = net.members.get('alpha')!.url;
  });
  afterAll(() => net?.stop());

  const send = (body: string, assertion?: string, headers: Record<string, string> = {}) => postRaw(alphaUrl, body, assertion === undefined ? headers : { ...headers, 'infrared-assertion': assertion });
  const ids = (json: any) => json.data.services.map((s: { id: string }) => s.id);

  function expectGenericRefusal(res: Awaited<ReturnType<typeof send>>): void {
    expect(res.status).toBe(401);
    expect(res.json).toEqual(GENERIC_401_BODY);
    expect(res.text).toBe(JSON.stringify(GENERIC_401_BODY));
  }

  /** Assertion claims as the gateway signs them, for `body`, overridable. */
  function claims(body: string, overrides: Record<string, unknown> = {}) {
    const now = nowS();
    return { caller: { member: 'alpha', sub: 'x', scopes: ['read', 'write'] }, bh: bodyHash(body), iss: GATEWAY_ID, aud: 'alpha', iat: now, exp: now + 30, jti: randomUUID(), ...overrides };
  }
  async function signWithGatewayKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: net.gatewayKey.kid, typ: 'infrared-assertion+jwt', ...header }).sign(await importKey(net.gatewayKey));
  }

  describe('accepted', () => {
    it('no assertion → anonymous: PUBLIC only', async () => {
      const res = await send(gqlBody(SERVICES));
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(['alpha:pub']);
    });

    it('an empty assertion header → anonymous: PUBLIC only', async () => {
      const res = await send(gqlBody(SERVICES), '');
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(['alpha:pub']);
    });

    it('a caller token sent straight to the member is not trusted (direct tokens off): anonymous', async () => {
      const res = await send(gqlBody(SERVICES), undefined, { authorization: `Bearer ${await net.token('alpha', { scopes: ['read', 'write'] })}` });
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(['alpha:pub']);
    });

    it.each([
      ['anonymous', ['alpha:pub']],
      ['alpha', ['alpha:mem', 'alpha:net', 'alpha:own', 'alpha:pub']],
      ['beta', ['alpha:mem', 'alpha:net', 'alpha:pub']],
      ['gamma', ['alpha:net', 'alpha:pub']],
    ] as const)("a valid assertion for %s → that caller's view", async (who, expected) => {
      const body = gqlBody(SERVICES);
      const res = await send(body, await net.assertion('alpha', callerOf(who), body));
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      expect(ids(res.json)).toEqual(expected);
    });

    it('the same query with fresh assertions is answered each time', async () => {
      const body = gqlBody(SERVICES);
      for (let i = 0; i < 3; i++) expect((await send(body, await net.assertion('alpha', callerOf('alpha'), body))).status).toBe(200);
    });
  });

  type Refused = [string, () => Promise<{ assertion: string; body: string }>];
  const body = gqlBody(SERVICES);
  const refused: Refused[] = [
    [
      "signed by an untrusted key under the gateway's id",
      async () => {
        const { privateJwk } = await createKeyPair();
        return { assertion: await signAssertion({ key: privateJwk, gatewayId: GATEWAY_ID, member: 'alpha', caller: callerOf('alpha'), body }), body };
      },
    ],
    [
      "signed by an untrusted key that copies the gateway's kid",
      async () => {
        const { privateJwk } = await createKeyPair();
        return { assertion: await signAssertion({ key: { ...privateJwk, kid: net.gatewayKey.kid }, gatewayId: GATEWAY_ID, member: 'alpha', caller: callerOf('alpha'), body }), body };
      },
    ],
    [
      'from a gateway that is not in the registry',
      async () => {
        const { privateJwk } = await createKeyPair();
        return { assertion: await signAssertion({ key: privateJwk, gatewayId: 'rogue-gateway', member: 'alpha', caller: callerOf('alpha'), body }), body };
      },
    ],
    [
      'signed with the gateway key but naming another gateway',
      async () => ({
        assertion: await signAssertion({ key: net.gatewayKey, gatewayId: 'rogue-gateway', member: 'alpha', caller: callerOf('alpha'), body }),
        body,
      }),
    ],
    [
      'expired',
      async () => ({
        assertion: await signAssertion({ key: net.gatewayKey, gatewayId: GATEWAY_ID, member: 'alpha', caller: callerOf('alpha'), body, now: Date.now() - 120_000 }),
        body,
      }),
    ],
    ['living longer than 60 s', async () => ({ assertion: await signWithGatewayKey(claims(body, { exp: nowS() + 3600 })), body })],
    [
      'issued in the future (iat a day ahead, exp 30 s after it: stretches the 60 s bound)',
      async () => {
        const now = nowS();
        return { assertion: await signWithGatewayKey(claims(body, { iat: now + 24 * 3600, exp: now + 24 * 3600 + 30 })), body };
      },
    ],
    ['without a jti', async () => ({ assertion: await signWithGatewayKey(claims(body, { jti: undefined })), body })],
    ['without exp', async () => ({ assertion: await signWithGatewayKey(claims(body, { exp: undefined })), body })],
    ['without a body hash', async () => ({ assertion: await signWithGatewayKey(claims(body, { bh: undefined })), body })],
    ['for another member (aud = beta)', async () => ({ assertion: await net.assertion('beta', callerOf('alpha'), body), body })],
    ['without aud', async () => ({ assertion: await signWithGatewayKey(claims(body, { aud: undefined })), body })],
    ['for body X, sent with body Y', async () => ({ assertion: await net.assertion('alpha', callerOf('alpha'), body), body: gqlBody('{ services { id name } }') })],
    ['for body X, sent with X plus trailing whitespace', async () => ({ assertion: await net.assertion('alpha', callerOf('alpha'), body), body: `${body} ` })],
    [
      'for an anonymous body, sent with a mutation',
      async () => ({
        assertion: await net.assertion('alpha', callerOf('anonymous'), body),
        body: gqlBody('mutation { removeService(id: "alpha:pub") }'),
      }),
    ],
    [
      'with its payload tampered (caller beta → alpha), signature kept',
      async () => ({
        assertion: withPayload(await net.assertion('alpha', callerOf('beta'), body), (c) => ((c.caller as { member: string }).member = 'alpha')),
        body,
      }),
    ],
    ['a garbage string', async () => ({ assertion: 'garbage', body })],
    ['three garbage segments', async () => ({ assertion: 'a.b.c', body })],
    ['alg none', async () => ({ assertion: `${b64json({ alg: 'none', typ: 'infrared-assertion+jwt', kid: net.gatewayKey.kid })}.${b64json(claims(body))}.`, body })],
    [
      "HS256 with the gateway's public key as HMAC secret",
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(publicPart(net.gatewayKey)));
        return { assertion: await new SignJWT(claims(body)).setProtectedHeader({ alg: 'HS256', kid: net.gatewayKey.kid }).sign(secret), body };
      },
    ],
    [
      'RS256 with some RSA key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return { assertion: await new SignJWT(claims(body)).setProtectedHeader({ alg: 'RS256', kid: net.gatewayKey.kid }).sign(privateKey), body };
      },
    ],
    ['a caller token of a member (not a gateway assertion)', async () => ({ assertion: await net.token('alpha', { scopes: ['read', 'write'] }), body })],
  ];

  it.each(refused)('refuses an assertion %s with the one generic 401', async (_name, build) => {
    const { assertion, body: sent } = await build();
    expectGenericRefusal(await send(sent, assertion));
  });

  it('refuses a replay: the exact same assertion and body, twice', async () => {
    const assertion = await net.assertion('alpha', callerOf('alpha'), body);
    const first = await send(body, assertion);
    expect(first.status).toBe(200);
    expect(ids(first.json)).toContain('alpha:own');
    expectGenericRefusal(await send(body, assertion));
  });

  it('refuses a replay of an assertion first used for a write', async () => {
    const write = gqlBody('mutation { removeService(id: "alpha:does-not-exist") }');
    const assertion = await net.assertion('alpha', callerOf('alpha', ['read', 'write']), write);
    const first = await send(write, assertion);
    expect(first.status).toBe(200);
    expect(first.json.data).toEqual({ removeService: false });
    expectGenericRefusal(await send(write, assertion));
  });

  it('an assertion for one member cannot be used at another (even before its first use)', async () => {
    const assertion = await net.assertion('alpha', callerOf('alpha'), body);
    const atBeta = await postRaw(net.members.get('beta')!.url, body, { 'infrared-assertion': assertion });
    expect(atBeta.status).toBe(401);
    expect(atBeta.json).toEqual(GENERIC_401_BODY);
    // and at alpha it is still good
    expect((await send(body, assertion)).status).toBe(200);
  });
});
