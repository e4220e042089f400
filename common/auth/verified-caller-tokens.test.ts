import type { JWK } from 'jose';
import { CLOCK_SKEW_S, issueCallerToken, verifyCallerToken, type IssuerInfo } from './caller-token';
import { AuthError } from './errors';
import { createKeyPair, type PrivateJwk } from './keys';
import { VerifiedCallerTokens } from './verified-caller-tokens';

/**
 * A token's signature is checked once; every other rule is checked on every use against the
 * registry of that moment. Each refusal below happens to a token that was accepted (and kept)
 * just before.
 */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const NETWORK = 'infrared-test';

let key: PrivateJwk;
let pub: JWK & { kid: string };
let issuer: IssuerInfo | undefined;
let token: string;
let fullChecks: number;
let tokens: VerifiedCallerTokens;

beforeAll(async () => {
  ({ privateJwk: key, publicJwk: pub } = await createKeyPair());
  token = await issueCallerToken({ key, member: 'alpha', subject: 'ana', scopes: ['read'], audience: NETWORK, ttlSeconds: 600, now: T0 });
});
beforeEach(() => {
  issuer = { keys: [pub], revokedJti: [] };
  fullChecks = 0;
  tokens = new VerifiedCallerTokens(100, (t, o) => {
    fullChecks++;
    return verifyCallerToken(t, o);
  });
});

const verify = (t = token, opts: { now?: number; audience?: string } = {}) =>
  tokens.verify(t, { audience: opts.audience ?? NETWORK, issuer: (id) => (id === 'alpha' ? issuer : undefined), now: opts.now ?? T0 + 1000 });
const reason = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: unknown) => (err instanceof AuthError ? err.refusal : `not an AuthError: ${String(err)}`),
  );

describe('VerifiedCallerTokens', () => {
  it('checks the signature of a token once, and answers the same caller after', async () => {
    const first = await verify();
    const again = await verify(token, { now: T0 + 5000 });
    expect(first).toEqual({ anonymous: false, member: 'alpha', subject: 'ana', scopes: ['read'] });
    expect(again).toEqual(first);
    expect(fullChecks).toBe(1);
    // callers get their own copy: changing one never changes what the next request gets
    again.scopes.push('write');
    expect((await verify()).scopes).toEqual(['read']);
  });

  it('refuses a kept token once it has expired (past the skew)', async () => {
    await verify();
    expect(await reason(verify(token, { now: T0 + 599_000 + CLOCK_SKEW_S * 1000 }))).toBe('accepted');
    expect(await reason(verify(token, { now: T0 + 600_000 + CLOCK_SKEW_S * 1000 }))).toBe('REJECTED_BY_VERIFIER');
  });

  it('refuses a kept token revoked by jti, or by issuedBefore, in a later registry', async () => {
    await verify();
    const { jti } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string };
    issuer = { keys: [pub], revokedJti: [jti] };
    expect(await reason(verify())).toBe('REVOKED');
    issuer = { keys: [pub], revokedJti: [], revokedBefore: new Date(T0 + 1000) };
    expect(await reason(verify())).toBe('REVOKED');
  });

  it('refuses a kept token once its key is no longer pinned, or another key took its kid', async () => {
    await verify();
    const other = (await createKeyPair()).publicJwk;
    issuer = { keys: [{ ...other, kid: pub.kid }], revokedJti: [] };
    expect(await reason(verify())).toBe('REJECTED_BY_VERIFIER');
    issuer = { keys: [other], revokedJti: [] };
    expect(await reason(verify())).toBe('UNKNOWN_KEY');
  });

  it('refuses a kept token once its issuer has left the registry', async () => {
    await verify();
    issuer = undefined;
    expect(await reason(verify())).toBe('UNKNOWN_ISSUER');
  });

  it('never answers another audience from what it kept', async () => {
    await verify();
    expect(await reason(verify(token, { audience: 'another-network' }))).toBe('REJECTED_BY_VERIFIER');
  });

  it('never takes a changed token text for the kept one', async () => {
    await verify();
    const [h, p, s] = token.split('.');
    const forged = `${h}.${p}.${s.slice(0, -2)}${s.slice(-2) === 'AA' ? 'AB' : 'AA'}`;
    expect(await reason(verify(forged))).not.toBe('accepted');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const widened = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'read write' })).toString('base64url')}.${s}`;
    expect(await reason(verify(widened))).toBe('REJECTED_BY_VERIFIER');
  });

  it('is bounded', async () => {
    const small = new VerifiedCallerTokens(3);
    for (let i = 0; i < 6; i++) {
      const t = await issueCallerToken({ key, member: 'alpha', subject: `s${i}`, scopes: ['read'], audience: NETWORK, ttlSeconds: 600, now: T0 });
      await small.verify(t, { audience: NETWORK, issuer: () => ({ keys: [pub], revokedJti: [] }), now: T0 + 1000 });
    }
    expect(small.size).toBe(3);
  });
});
