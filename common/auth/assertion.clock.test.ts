import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { freezeClock, setClock, thawClock } from '../../test/support/frozen-clock';
import type { Caller } from '../caller';
import { authRefusal } from '../../test/support/auth-refusal';
import { ASSERTION_TTL_S, bodyHash, signAssertion, verifyAssertion } from './assertion';
import { createKeyPair, importKey, type PrivateJwk } from './keys';
import { MemoryReplayCache } from './replay-cache';

/**
 * verifyAssertion (at a member) against a frozen wall clock: the 30 s life with 5 s of skew, the
 * 60 s bound and future iat, replay for as long as the assertion could be accepted, the audience
 * (this member), the body binding and the trusted gateways.
 */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const S = 1000;
const BODY = Buffer.from('{"query":"{ services { id } }"}');
const ANA: Caller = { anonymous: false, member: 'beta', subject: 'ana', scopes: ['read'] };

let gwKey: PrivateJwk;
let gwPub: JWK & { kid: string };
let rogueKey: PrivateJwk;
let replay: MemoryReplayCache;

beforeAll(async () => {
  ({ privateJwk: gwKey, publicJwk: gwPub } = await createKeyPair());
  ({ privateJwk: rogueKey } = await createKeyPair());
});
beforeEach(() => {
  replay = new MemoryReplayCache();
  freezeClock(T0);
});
afterEach(() => thawClock());

/** alpha verifying with the default clock (the frozen `Date`), as the member does. */
const verify = (assertion: string, opts: { member?: string; body?: Buffer; cache?: MemoryReplayCache } = {}) =>
  verifyAssertion(assertion, {
    member: opts.member ?? 'alpha',
    gateways: (id) => (id === 'gw' ? [gwPub] : undefined),
    body: opts.body ?? BODY,
    replay: opts.cache ?? replay,
  });
const sign = (opts: { member?: string; now?: number } = {}) => signAssertion({ key: gwKey, gatewayId: 'gw', member: opts.member ?? 'alpha', caller: ANA, body: BODY, now: opts.now });

/** An assertion with exactly these claims (seconds). */
async function raw(claims: JWTPayload, signWith: PrivateJwk = gwKey): Promise<string> {
  return new SignJWT({ caller: { member: 'beta', sub: 'ana', scopes: ['read'] }, bh: bodyHash(BODY), iss: 'gw', aud: 'alpha', jti: `j-${Math.random()}`, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: signWith.kid, typ: 'infrared-assertion+jwt' })
    .sign(await importKey(signWith));
}
const sec = (ms: number) => Math.floor(ms / 1000);

const refusal = async (p: Promise<unknown>): Promise<string> => (await authRefusal(p)).reason;

describe('verifyAssertion on a frozen clock: expiry and skew', () => {
  it('accepts an assertion until 4 s past exp and refuses it from 5 s past exp', async () => {
    const at = async (t: number) => {
      setClock(T0);
      const a = await sign();
      setClock(T0 + t * S);
      return verify(a, { cache: new MemoryReplayCache() });
    };
    await expect(at(0)).resolves.toEqual(ANA);
    await expect(at(ASSERTION_TTL_S + 4)).resolves.toEqual(ANA);
    expect(await refusal(at(ASSERTION_TTL_S + 5))).toMatch(/exp/);
    expect(await refusal(at(3600))).toMatch(/exp/);
  });

  it('refuses an iat more than 60 s ahead, and a life over 60 s; exactly 60 s is accepted', async () => {
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now + 61, exp: now + 62 })))).toMatch(/future/);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 61 })))).toMatch(/60 s/);
    await expect(verify(await raw({ iat: now, exp: now + 60 }))).resolves.toEqual(ANA);
  });

  it('refuses an assertion not yet valid (nbf beyond 5 s of skew)', async () => {
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now, nbf: now + 6, exp: now + 30 })))).toMatch(/nbf/);
    await expect(verify(await raw({ iat: now, nbf: now + 5, exp: now + 30 }))).resolves.toEqual(ANA);
  });

  it('refuses an assertion without exp, iat or jti', async () => {
    const now = sec(T0);
    for (const missing of ['exp', 'iat', 'jti']) {
      const a = await raw({ iat: now, exp: now + 30, [missing]: undefined });
      expect([missing, await refusal(verify(a))]).toEqual([missing, expect.stringMatching(/rejected/)]);
    }
  });
});

describe('verifyAssertion on a frozen clock: replay', () => {
  it('accepts an assertion once; every replay during its whole acceptance window is refused', async () => {
    const a = await sign();
    await expect(verify(a)).resolves.toEqual(ANA);
    for (let t = 0; t <= ASSERTION_TTL_S + 10; t++) {
      setClock(T0 + t * S);
      expect([t, await refusal(verify(a))]).toEqual([t, expect.stringMatching(t < ASSERTION_TTL_S + 5 ? /replayed/ : /exp/)]);
    }
  });

  it('the replay cache forgets an id only after the assertion can no longer be accepted', async () => {
    const a = await sign();
    await expect(verify(a)).resolves.toEqual(ANA);
    // past the sweep interval and the expiry: the cache drops the id, and the expiry check refuses
    setClock(T0 + (ASSERTION_TTL_S + 60) * S);
    expect(await refusal(verify(a))).toMatch(/exp/);
  });

  it('a full replay cache keeps every live id', async () => {
    const small = new MemoryReplayCache(2);
    const first = await sign();
    await expect(verify(first, { cache: small })).resolves.toEqual(ANA);
    for (let i = 0; i < 5; i++) await expect(verify(await sign(), { cache: small })).resolves.toEqual(ANA);
    expect(await refusal(verify(first, { cache: small }))).toMatch(/replayed/);
  });

  it('a replay with another body is refused by the body hash', async () => {
    const a = await sign();
    expect(await refusal(verify(a, { body: Buffer.from('{"query":"{ incidents { id } }"}') }))).toMatch(/body hash/);
    await expect(verify(a)).resolves.toEqual(ANA);
  });
});

describe('verifyAssertion: audience and gateway', () => {
  it('refuses an assertion signed for another member (wrong audience), even by the trusted gateway', async () => {
    const forBeta = await sign({ member: 'beta' });
    expect(await refusal(verify(forBeta))).toMatch(/aud/);
    await expect(verify(forBeta, { member: 'beta' })).resolves.toEqual(ANA);
  });

  it('refuses an untrusted gateway, an unknown key and a forged signature under the trusted kid', async () => {
    const now = sec(T0);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 30, iss: 'rogue-gw' })))).toMatch(/untrusted gateway/);
    expect(await refusal(verify(await raw({ iat: now, exp: now + 30 }, rogueKey)))).toMatch(/not trusted/);
    const forged = await raw({ iat: now, exp: now + 30 }, { ...rogueKey, kid: gwKey.kid });
    expect(await refusal(verify(forged))).toMatch(/SIGNATURE/i);
  });

  it('an assertion without a caller member is anonymous, never someone', async () => {
    const now = sec(T0);
    await expect(verify(await raw({ iat: now, exp: now + 30, caller: { member: 42, scopes: ['write'] } }))).resolves.toEqual({ anonymous: true, scopes: [] });
    await expect(verify(await raw({ iat: now, exp: now + 30, caller: { anonymous: true, member: 'beta' } }))).resolves.toEqual({ anonymous: true, scopes: [] });
  });
});
