import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { freezeClock, setClock, thawClock } from '../../test/support/frozen-clock';
import { authRefusal } from '../../test/support/auth-refusal';
import { CLOCK_SKEW_S, issueCallerToken, MAX_TOKEN_LIFETIME_S, verifyCallerToken, type IssuerInfo } from './caller-token';
import { createKeyPair, importKey, type PrivateJwk } from './keys';

/**
 * verifyCallerToken against a frozen wall clock: the edges of exp, nbf and iat with the 60 s of
 * skew, the 30-day bound, revocation and the audience. Every refusal is an AuthError (one generic
 * 401 for the client; the reason is for the log).
 */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const S = 1000;
const NETWORK = 'infrared-test';

let key: PrivateJwk;
let pub: JWK & { kid: string };
let otherKey: PrivateJwk;
let issuer: IssuerInfo;

beforeAll(async () => {
  ({ privateJwk: key, publicJwk: pub } = await createKeyPair());
  ({ privateJwk: otherKey } = await createKeyPair());
});
beforeEach(() => {
  issuer = { keys: [pub], revokedJti: [] };
  freezeClock(T0);
});
afterEach(() => thawClock());

/** Verifies with the default clock (the frozen `Date`), as the gateway does. */
const verify = (token: string, audience = NETWORK) => verifyCallerToken(token, { audience, issuer: (id) => (id === 'alpha' ? issuer : undefined) });
const issue = (opts: { ttlSeconds?: number; now?: number } = {}) =>
  issueCallerToken({ key, member: 'alpha', subject: 'ana', scopes: ['read'], audience: NETWORK, ttlSeconds: opts.ttlSeconds ?? 600, now: opts.now });

/** A token with exactly these claims (seconds), signed by alpha's pinned key unless told otherwise. */
async function raw(claims: JWTPayload, signWith: PrivateJwk = key): Promise<string> {
  return new SignJWT({ scope: 'read', iss: 'alpha', sub: 'ana', aud: NETWORK, jti: `j-${Math.random()}`, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: signWith.kid, typ: 'JWT' })
    .sign(await importKey(signWith));
}
const sec = (ms: number) => Math.floor(ms / 1000);

const refusal = async (p: Promise<unknown>): Promise<string> => (await authRefusal(p)).reason;

describe('verifyCallerToken on a frozen clock: expiry', () => {
  it('accepts a token until 59 s past exp and refuses it from 60 s past exp', async () => {
    const token = await issue({ ttlSeconds: 600 });
    await expect(verify(token)).resolves.toMatchObject({ member: 'alpha', subject: 'ana', scopes: ['read'] });
    setClock(T0 + (600 + CLOCK_SKEW_S - 1) * S);
    await expect(verify(token)).resolves.toMatchObject({ member: 'alpha' });
    setClock(T0 + (600 + CLOCK_SKEW_S) * S);
    expect(await refusal(verify(token))).toMatch(/exp/);
    setClock(T0 + 365 * 24 * 3600 * S);
    expect(await refusal(verify(token))).toMatch(/exp/);
  });

  it('an explicit `now` wins over the wall clock (the same edges)', async () => {
    const token = await issue({ ttlSeconds: 600 });
    const at = (ms: number) => verifyCallerToken(token, { audience: NETWORK, issuer: () => issuer, now: ms });
    await expect(at(T0 + 659 * S)).resolves.toMatchObject({ member: 'alpha' });
    expect(await refusal(at(T0 + 660 * S))).toMatch(/exp/);
  });

  it('refuses a token without exp, iat, sub or jti', async () => {
    const now = sec(T0);
    for (const missing of ['exp', 'iat', 'sub', 'jti']) {
      const claims: JWTPayload = { iat: now, nbf: now, exp: now + 600 };
      const token = await raw({ ...claims, [missing]: undefined });
      expect([missing, await refusal(verify(token))]).toEqual([missing, expect.stringMatching(/rejected|claim/)]);
    }
  });
});

describe('verifyCallerToken on a frozen clock: nbf and iat skew', () => {
  it('a token not yet valid is accepted only within 60 s of its nbf', async () => {
    const token = await issue({ now: T0 + 120 * S }); // nbf = iat = T0 + 120 s
    expect(await refusal(verify(token))).toMatch(/nbf/);
    setClock(T0 + 59 * S);
    expect(await refusal(verify(token))).toMatch(/nbf/);
    setClock(T0 + 60 * S);
    await expect(verify(token)).resolves.toMatchObject({ member: 'alpha' });
  });

  it('refuses an iat more than 60 s ahead even without nbf (it would stretch the 30-day bound and dodge revocation)', async () => {
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now + CLOCK_SKEW_S + 1, exp: now + 600 })))).toMatch(/iat/);
    await expect(verify(await raw({ iat: now + CLOCK_SKEW_S, exp: now + 600 }))).resolves.toMatchObject({ member: 'alpha' });
  });

  it('refuses a lifetime over 30 days, at issue and at verification; exactly 30 days is accepted', async () => {
    await expect(issue({ ttlSeconds: MAX_TOKEN_LIFETIME_S + 1 })).rejects.toThrow(TypeError);
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now, exp: now + MAX_TOKEN_LIFETIME_S + 1 })))).toMatch(/30 days/);
    await expect(verify(await raw({ iat: now, exp: now + MAX_TOKEN_LIFETIME_S }))).resolves.toMatchObject({ member: 'alpha' });
    // backdating iat does not buy a longer life: the bound is exp - iat, and exp still ends it
    expect(await refusal(verify(await raw({ iat: now - MAX_TOKEN_LIFETIME_S, exp: now + 10 })))).toMatch(/30 days/);
  });
});

describe('verifyCallerToken on a frozen clock: revocation', () => {
  it('refuses a token issued before revokedBefore, accepts one issued at or after it', async () => {
    const before = await issue({ now: T0 - 1 * S });
    const at = await issue({ now: T0 });
    issuer = { keys: [pub], revokedJti: [], revokedBefore: new Date(T0) };
    expect(await refusal(verify(before))).toMatch(/issued before/);
    await expect(verify(at)).resolves.toMatchObject({ member: 'alpha' });
  });

  it('refuses a revoked jti for its whole life', async () => {
    const token = await issue({ ttlSeconds: 600 });
    const { jti } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string };
    issuer = { keys: [pub], revokedJti: [jti] };
    for (const t of [0, 300, 659]) {
      setClock(T0 + t * S);
      expect(await refusal(verify(token))).toMatch(/revoked/);
    }
  });
});

describe('verifyCallerToken: audience, issuer and key', () => {
  it('refuses a token for another network (wrong audience) and one with no audience', async () => {
    const token = await issue();
    expect(await refusal(verify(token, 'another-network'))).toMatch(/aud/);
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 60, aud: undefined })))).toMatch(/aud|rejected/);
  });

  it('refuses an unregistered issuer, an unknown kid, and a known kid with a forged signature', async () => {
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 60, iss: 'mallory' })))).toMatch(/not a registered member/);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 60 }, otherKey)))).toMatch(/unknown kid/);
    const forged = await raw({ iat: now, exp: now + 60 }, { ...otherKey, kid: key.kid });
    expect(await refusal(verify(forged))).toMatch(/SIGNATURE/i);
  });

  it('refuses alg none and HMAC tokens before any key is used', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = sec(T0);
    const claims = b64({ iss: 'alpha', sub: 'ana', aud: NETWORK, iat: now, exp: now + 60, jti: 'x' });
    expect(await refusal(verify(`${b64({ alg: 'none', kid: key.kid })}.${claims}.AA`))).toMatch(/not allowed/);
    expect(await refusal(verify(`${b64({ alg: 'HS256', kid: key.kid })}.${claims}.AA`))).toMatch(/not allowed/);
  });
});
