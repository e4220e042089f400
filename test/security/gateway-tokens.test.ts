/**
 * A. Caller tokens at the gateway: every refusal is the same 401, whatever the reason; the
 * accepted cases (skew, anonymous, rotation) behave as documented.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import { issueCallerToken } from '../../common/auth/caller-token';
import { ringMembers } from '../support/fixtures';
import { NETWORK_ID, TestNetwork } from '../support/network';
import { GENERIC_401_BODY, gqlBody, nowS, postRaw, signClaims, tokenClaims, unsignedJwt, withPayload } from './support';

const DAY = 24 * 3600;
const VIEWER = '{ viewer { anonymous member { id } subject scopes } }';

describe('gateway caller-token verification', () => {
  let net: TestNetwork;
  let alphaKey: PrivateJwk;
  let betaKey: PrivateJwk;

  beforeAll(async () => {
    net = await TestNetwork.start(ringMembers());
    alphaKey = net.keys.get('alpha')!;
    betaKey = net.keys.get('beta')!;
  });
  afterAll(() => net?.stop());

  /** Rewrites the registry (from scratch, plus `mutate`) and makes the gateway take it now. */
  async function useRegistry(mutate?: (registry: Record<string, any>) => void): Promise<void> {
    net.writeRegistry(mutate);
    await net.reloadRegistry();
  }
  const alphaEntry = (registry: Record<string, any>) => registry.members.find((m: { id: string }) => m.id === 'alpha');

  const ask = (authorization?: string, query = VIEWER) => postRaw(net.gateway.url, gqlBody(query), authorization === undefined ? {} : { authorization });
  const bearer = (token: string) => `Bearer ${token}`;

  function expectGenericRefusal(res: Awaited<ReturnType<typeof ask>>): void {
    expect(res.status).toBe(401);
    expect(res.json).toEqual(GENERIC_401_BODY);
    // byte-identical for every reason: nothing in the answer tells reasons apart
    expect(res.text).toBe(JSON.stringify(GENERIC_401_BODY));
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  }

  type Case = [string, () => Promise<string>];
  const refused: Case[] = [
    ['alg none (unsigned JWT)', async () => bearer(unsignedJwt(tokenClaims('alpha'), { kid: alphaKey.kid }))],
    [
      'alg none with a copied signature',
      async () => {
        const good = await net.token('alpha');
        const [, payload, sig] = good.split('.');
        return bearer(`${Buffer.from(JSON.stringify({ alg: 'none', kid: alphaKey.kid })).toString('base64url')}.${payload}.${sig}`);
      },
    ],
    [
      'HS256 with the public JWK (JSON) as HMAC secret',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(publicPart(alphaKey)));
        return bearer(await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'HS256', kid: alphaKey.kid, typ: 'JWT' }).sign(secret));
      },
    ],
    [
      'HS256 with the raw public key bytes (x) as HMAC secret',
      async () => {
        const secret = new Uint8Array(Buffer.from(alphaKey.x!, 'base64url'));
        return bearer(await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'HS256', kid: alphaKey.kid, typ: 'JWT' }).sign(secret));
      },
    ],
    [
      'HS256 with the base64url x string as HMAC secret',
      async () => {
        const secret = new TextEncoder().encode(alphaKey.x!);
        return bearer(await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'HS256', kid: alphaKey.kid, typ: 'JWT' }).sign(secret));
      },
    ],
    [
      'RS256 with some RSA key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return bearer(await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'RS256', kid: alphaKey.kid, typ: 'JWT' }).sign(privateKey));
      },
    ],
    [
      'ES256 (an allowed alg) with a key that is not pinned, under the pinned kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return bearer(await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'ES256', kid: alphaKey.kid, typ: 'JWT' }).sign(privateKey));
      },
    ],
    [
      'EdDSA with a fresh key under the pinned kid',
      async () => {
        const { privateJwk } = await createKeyPair();
        return bearer(await signClaims({ ...privateJwk, kid: alphaKey.kid }, tokenClaims('alpha')));
      },
    ],
    [
      'expired (exp 2 min ago, beyond the 60 s skew)',
      async () => {
        const now = nowS();
        return bearer(await signClaims(alphaKey, tokenClaims('alpha', { iat: now - 3600, nbf: now - 3600, exp: now - 120 })));
      },
    ],
    [
      'expired, issued through issueCallerToken an hour ago',
      async () => bearer(await issueCallerToken({ key: alphaKey, member: 'alpha', subject: 'x', scopes: ['read'], audience: NETWORK_ID, ttlSeconds: 600, now: Date.now() - 3600_000 })),
    ],
    [
      'nbf 2 min in the future (beyond the 60 s skew)',
      async () => {
        const now = nowS();
        return bearer(await signClaims(alphaKey, tokenClaims('alpha', { nbf: now + 120, exp: now + 900 })));
      },
    ],
    ['wrong aud', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { aud: 'another-network' })))],
    ['aud missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { aud: undefined })))],
    ['unknown iss (not a registered member)', async () => bearer(await signClaims(alphaKey, tokenClaims('delta')))],
    ['iss missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { iss: undefined })))],
    ["signed with alpha's key, claiming iss beta, with alpha's kid", async () => bearer(await signClaims(alphaKey, tokenClaims('beta')))],
    ["signed with alpha's key, claiming iss beta, with beta's kid", async () => bearer(await signClaims(alphaKey, tokenClaims('beta'), { kid: betaKey.kid }))],
    ['tampered payload: scope "read" → "read write", signature kept', async () => bearer(withPayload(await net.token('alpha', { scopes: ['read'] }), (c) => (c.scope = 'read write')))],
    ['tampered payload: iss alpha → beta, signature kept', async () => bearer(withPayload(await net.token('alpha'), (c) => (c.iss = 'beta')))],
    [
      'tampered payload: exp pushed forward on an expired token',
      async () => {
        const now = nowS();
        const expired = await signClaims(alphaKey, tokenClaims('alpha', { iat: now - 3600, nbf: now - 3600, exp: now - 120 }));
        return bearer(withPayload(expired, (c) => (c.exp = now + 600)));
      },
    ],
    [
      'signature stripped',
      async () => {
        const [h, p] = (await net.token('alpha')).split('.');
        return bearer(`${h}.${p}.`);
      },
    ],
    ['unknown kid', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha'), { kid: 'no-such-kid' }))],
    ['kid missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha'), { kid: undefined }))],
    [
      'lifetime over 30 days (exp − iat = 31 days)',
      async () => {
        const now = nowS();
        return bearer(await signClaims(alphaKey, tokenClaims('alpha', { exp: now + 31 * DAY })));
      },
    ],
    [
      'iat a year in the future, exp a day after it (stretches the 30-day bound)',
      async () => {
        const now = nowS();
        return bearer(await signClaims(alphaKey, tokenClaims('alpha', { iat: now + 365 * DAY, nbf: now, exp: now + 366 * DAY })));
      },
    ],
    [
      'iat 2 min in the future (beyond the 60 s skew)',
      async () => {
        const now = nowS();
        return bearer(await signClaims(alphaKey, tokenClaims('alpha', { iat: now + 120, nbf: now, exp: now + 600 })));
      },
    ],
    ['exp missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { exp: undefined })))],
    ['iat missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { iat: undefined })))],
    ['sub missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { sub: undefined })))],
    ['jti missing', async () => bearer(await signClaims(alphaKey, tokenClaims('alpha', { jti: undefined })))],
    ['garbage instead of a JWT', async () => bearer('not-a-jwt')],
    ['three garbage segments', async () => bearer('aaaa.bbbb.cccc')],
    ['malformed header: Basic credentials', async () => 'Basic YWxwaGE6c2VjcmV0'],
    ['malformed header: "Bearer" without a token', async () => 'Bearer'],
    ['malformed header: two tokens', async () => `Bearer ${await net.token('alpha')} ${await net.token('alpha')}`],
    ['malformed header: other scheme with a valid token', async () => `Token ${await net.token('alpha')}`],
    ['malformed header: token with characters outside base64url', async () => 'Bearer abc"def<script>'],
  ];

  it.each(refused)('refuses %s with the one generic 401', async (_name, build) => {
    expectGenericRefusal(await ask(await build()));
  });

  it('refuses the same token on every path, including a mutation (no GraphQL runs)', async () => {
    const token = await signClaims(alphaKey, tokenClaims('alpha', { aud: 'another-network', scope: 'read write' }));
    const mutation = 'mutation { removeService(id: "alpha:pub") }';
    expectGenericRefusal(await ask(bearer(token), mutation));
    const still = await net.query('{ service(id: "alpha:pub") { id } }');
    expect(still.body.data!.service).toEqual({ id: 'alpha:pub' });
  });

  describe('revocation (registry edits, reloaded)', () => {
    afterEach(() => useRegistry());

    it('refuses a token whose jti is revoked, and still accepts another token of the same member', async () => {
      const revoked = await signClaims(alphaKey, tokenClaims('alpha', { jti: 'revoked-jti-1' }));
      const other = await net.token('alpha');
      expect((await ask(bearer(revoked))).status).toBe(200);
      await useRegistry((r) => (alphaEntry(r).revocations = { jti: ['revoked-jti-1'] }));
      expectGenericRefusal(await ask(bearer(revoked)));
      const ok = await ask(bearer(other));
      expect(ok.status).toBe(200);
      expect(ok.json.data.viewer.member).toEqual({ id: 'alpha' });
    });

    it("a jti revoked by one member does not revoke another member's token with that jti", async () => {
      const betaToken = await signClaims(betaKey, tokenClaims('beta', { jti: 'shared-jti' }));
      await useRegistry((r) => (alphaEntry(r).revocations = { jti: ['shared-jti'] }));
      expect((await ask(bearer(betaToken))).status).toBe(200);
      expectGenericRefusal(await ask(bearer(await signClaims(alphaKey, tokenClaims('alpha', { jti: 'shared-jti' })))));
    });

    it('issuedBefore cannot be dodged with a future iat', async () => {
      const now = nowS();
      const postdated = await signClaims(alphaKey, tokenClaims('alpha', { iat: now + 7 * DAY, nbf: now - 3600, exp: now + 8 * DAY }));
      await useRegistry((r) => (alphaEntry(r).revocations = { jti: [], issuedBefore: new Date((now - 60) * 1000).toISOString() }));
      expectGenericRefusal(await ask(bearer(postdated)));
    });

    it('refuses tokens issued before revocations.issuedBefore, and accepts ones issued after', async () => {
      const now = nowS();
      const old = await signClaims(alphaKey, tokenClaims('alpha', { iat: now - 3600, nbf: now - 3600, exp: now + 3600 }));
      expect((await ask(bearer(old))).status).toBe(200);
      await useRegistry((r) => (alphaEntry(r).revocations = { jti: [], issuedBefore: new Date((now - 60) * 1000).toISOString() }));
      expectGenericRefusal(await ask(bearer(old)));
      const fresh = await ask(bearer(await net.token('alpha')));
      expect(fresh.status).toBe(200);
      expect(fresh.json.data.viewer.anonymous).toBe(false);
    });

    it('key rotation: both pinned keys verify; once the old kid is removed, its tokens are refused', async () => {
      const { privateJwk: newKey } = await createKeyPair();
      const oldToken = await net.token('alpha');
      const newToken = await signClaims(newKey, tokenClaims('alpha'));
      expectGenericRefusal(await ask(bearer(newToken))); // not pinned yet

      await useRegistry((r) => (alphaEntry(r).keys = [publicPart(alphaKey), publicPart(newKey)]));
      for (const token of [oldToken, newToken]) {
        const res = await ask(bearer(token));
        expect(res.status).toBe(200);
        expect(res.json.data.viewer.member).toEqual({ id: 'alpha' });
      }

      await useRegistry((r) => (alphaEntry(r).keys = [publicPart(newKey)]));
      expectGenericRefusal(await ask(bearer(oldToken)));
      expectGenericRefusal(await ask(bearer(await net.token('alpha')))); // freshly signed with the removed key
      expect((await ask(bearer(newToken))).status).toBe(200);
    });

    it('an ES256 (P-256) key pinned in the registry verifies ES256 tokens', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), kid: 'alpha-p256', alg: 'ES256' } as PrivateJwk;
      await useRegistry((r) => alphaEntry(r).keys.push(publicPart(jwk)));
      const token = await new SignJWT(tokenClaims('alpha')).setProtectedHeader({ alg: 'ES256', kid: 'alpha-p256', typ: 'JWT' }).sign(privateKey);
      expect((await ask(bearer(token))).status).toBe(200);
      // the same key under EdDSA is refused: the alg must match the pinned key
      const forged = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'alpha-p256', typ: 'JWT' })).toString('base64url')}.${token.split('.').slice(1).join('.')}`;
      expectGenericRefusal(await ask(bearer(forged)));
    });
  });

  type Accepted = [string, () => Promise<string>];
  const accepted: Accepted[] = [
    [
      'exp 30 s ago (within the 60 s skew)',
      async () => {
        const now = nowS();
        return signClaims(alphaKey, tokenClaims('alpha', { iat: now - 600, nbf: now - 600, exp: now - 30 }));
      },
    ],
    [
      'nbf 30 s in the future (within the 60 s skew)',
      async () => {
        const now = nowS();
        return signClaims(alphaKey, tokenClaims('alpha', { nbf: now + 30 }));
      },
    ],
    [
      'iat 30 s in the future (within the 60 s skew)',
      async () => {
        const now = nowS();
        return signClaims(alphaKey, tokenClaims('alpha', { iat: now + 30, nbf: now }));
      },
    ],
    [
      'lifetime of exactly 30 days',
      async () => {
        const now = nowS();
        return signClaims(alphaKey, tokenClaims('alpha', { exp: now + 30 * DAY }));
      },
    ],
    ['a token from issueCallerToken', () => net.token('alpha')],
  ];

  it.each(accepted)('accepts %s', async (_name, build) => {
    const res = await ask(bearer(await build()));
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.viewer).toEqual({ anonymous: false, member: { id: 'alpha' }, subject: 'alpha-tester', scopes: ['read'] });
  });

  it('viewer reports the member, subject and scopes of a valid token', async () => {
    const token = await net.token('beta', { subject: 'ana', scopes: ['read', 'write'] });
    const res = await ask(bearer(token));
    expect(res.status).toBe(200);
    expect(res.json.data.viewer).toEqual({ anonymous: false, member: { id: 'beta' }, subject: 'ana', scopes: ['read', 'write'] });
  });

  it('drops unknown scopes from a valid token', async () => {
    const token = await signClaims(alphaKey, tokenClaims('alpha', { scope: 'read admin write root' }));
    const res = await ask(bearer(token));
    expect(res.json.data.viewer.scopes).toEqual(['read', 'write']);
  });

  it('no token: anonymous, and PUBLIC records only', async () => {
    const res = await ask(undefined, `${VIEWER.slice(0, -1)} services { id } capacity { id } projects { id } }`);
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.viewer).toEqual({ anonymous: true, member: null, subject: null, scopes: [] });
    expect(res.json.data.services.map((s: { id: string }) => s.id)).toEqual(['alpha:pub', 'beta:pub', 'gamma:pub']);
    expect(res.json.data.capacity.map((s: { id: string }) => s.id)).toEqual(['alpha:loose', 'alpha:pub-cap', 'beta:loose', 'beta:pub-cap', 'gamma:loose', 'gamma:pub-cap']);
    expect(res.json.data.projects.map((s: { id: string }) => s.id)).toEqual(['alpha:proj-pub', 'beta:proj-pub', 'gamma:proj-pub']);
  });
});
