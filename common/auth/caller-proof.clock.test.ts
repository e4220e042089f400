import { base64url, calculateJwkThumbprint, CompactSign, importJWK, type JWK } from 'jose';
import { freezeClock, setClock, thawClock } from '../../test/support/frozen-clock';
import {
  authorizationToken,
  callerKeyThumbprint,
  createCallerKeyPair,
  createCallerProof,
  normalizeHtu,
  PROOF_MAX_AGE_S,
  PROOF_MAX_FUTURE_S,
  sha256b64url,
  verifyCallerProof,
  type CallerKeyPair,
  type CallerProofCheck,
  WEB_PROOF_CRYPTO,
} from './caller-proof';
import { authRefusal } from '../../test/support/auth-refusal';
import { issueCallerToken, verifyCallerToken } from './caller-token';
import { AuthError, type AuthRefusal } from './errors';
import { createKeyPair, importKey, type PrivateJwk } from './keys';
import { NODE_PROOF_CRYPTO } from './node-proof-crypto';
import { MemoryReplayCache } from './replay-cache';

/**
 * Caller proofs (DPoP-style) against a frozen wall clock: what a proof binds (key, method,
 * endpoint, token, body, time, one use per verifier) and each way a relayed or forged proof is
 * refused, with its refusal code.
 */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const S = 1000;
const HTU = 'https://gw.example.org/graphql';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2ln';
const BODY = '{"query":"{ services { id name } }"}';

let caller: CallerKeyPair;
let other: CallerKeyPair;
let replay: MemoryReplayCache;

beforeAll(async () => {
  caller = await createCallerKeyPair({ extractable: true });
  other = await createCallerKeyPair({ extractable: true });
});
beforeEach(() => {
  replay = new MemoryReplayCache();
  freezeClock(T0);
});
afterEach(() => thawClock());

const prove = (over: Partial<Parameters<typeof createCallerProof>[0]> = {}) =>
  createCallerProof({ key: caller.privateKey, publicJwk: caller.publicJwk, htm: 'POST', htu: HTU, token: TOKEN, body: BODY, ...over });
const check = (over: Partial<CallerProofCheck> = {}): CallerProofCheck => ({ jkt: caller.thumbprint, token: TOKEN, body: BODY, htm: 'POST', htu: [HTU], replay, ...over });

const refusal = async (p: Promise<unknown>): Promise<AuthRefusal> => (await authRefusal(p)).refusal;

/** A proof with this header and these claims, signed by `key` (default: the caller's). */
async function rawProof(header: Record<string, unknown>, claims: Record<string, unknown>, key: JWK = caller.privateKey as JWK): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: caller.publicJwk, ...header } as never)
    .sign(await importJWK({ ...key, alg: 'ES256' }, 'ES256'));
}
const goodClaims = async () => ({ jti: 'j-1', htm: 'POST', htu: HTU, iat: T0 / S, ath: await sha256b64url(TOKEN), bdh: await sha256b64url(BODY) });

describe('thumbprint and keys', () => {
  it('is the RFC 7638 SHA-256 thumbprint of the public key, whatever extra members the JWK carries', async () => {
    expect(caller.thumbprint).toBe(await calculateJwkThumbprint(caller.publicJwk, 'sha256'));
    expect(caller.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await callerKeyThumbprint({ ...caller.publicJwk, kid: 'x', alg: 'ES256', use: 'sig' })).toBe(caller.thumbprint);
    expect(await callerKeyThumbprint(other.publicJwk)).not.toBe(caller.thumbprint);
    expect(caller.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
  });

  it('refuses keys that are not P-256', async () => {
    const ed = await createKeyPair();
    await expect(callerKeyThumbprint(ed.publicJwk)).rejects.toThrow(AuthError);
  });

  it('signs with a non-extractable WebCrypto key (the browser) as with a JWK (the CLI)', async () => {
    const browser = await createCallerKeyPair({ extractable: false });
    expect((browser.privateKey as CryptoKey).extractable).toBe(false);
    const proof = await createCallerProof({ key: browser.privateKey, publicJwk: browser.publicJwk, htm: 'POST', htu: HTU, token: TOKEN, body: BODY });
    await expect(verifyCallerProof(proof, check({ jkt: browser.thumbprint }))).resolves.toMatchObject({ jkt: browser.thumbprint });
  });
});

describe('a valid proof', () => {
  it('verifies once, and says which key, id and time', async () => {
    const proof = await prove({ jti: 'once' });
    await expect(verifyCallerProof(proof, check())).resolves.toEqual({ jti: 'once', iat: T0 / S, htu: HTU, jkt: caller.thumbprint });
  });

  it('covers the exact body bytes, given as text or as bytes', async () => {
    const bytes = new TextEncoder().encode(BODY);
    await expect(verifyCallerProof(await prove({ body: bytes }), check())).resolves.toBeDefined();
    await expect(verifyCallerProof(await prove(), check({ body: bytes }))).resolves.toBeDefined();
  });

  it('normalizes htu: case of scheme and host, default port, query and fragment', async () => {
    expect(normalizeHtu('HTTPS://GW.Example.org:443/graphql?x=1#f')).toBe(HTU);
    expect(normalizeHtu('http://gw:80/graphql')).toBe('http://gw/graphql');
    expect(() => normalizeHtu('ftp://gw/graphql')).toThrow(TypeError);
    const proof = await prove({ htu: 'https://GW.example.org:443/graphql?ignored=1' });
    await expect(verifyCallerProof(proof, check())).resolves.toMatchObject({ htu: HTU });
  });

  it('is accepted by several verifiers (members), once by each', async () => {
    const proof = await prove();
    const alpha = new MemoryReplayCache();
    const beta = new MemoryReplayCache();
    await verifyCallerProof(proof, check({ replay: alpha }));
    await verifyCallerProof(proof, check({ replay: beta }));
    expect(await refusal(verifyCallerProof(proof, check({ replay: alpha })))).toBe('REPLAYED');
    expect(await refusal(verifyCallerProof(proof, check({ replay: beta })))).toBe('REPLAYED');
  });
});

describe('refusals', () => {
  it('a replay at the same verifier, for as long as the proof is fresh', async () => {
    const proof = await prove();
    await verifyCallerProof(proof, check());
    setClock(T0 + (PROOF_MAX_AGE_S - 1) * S);
    expect(await refusal(verifyCallerProof(proof, check()))).toBe('REPLAYED');
    setClock(T0 + (PROOF_MAX_AGE_S + 1) * S);
    expect(await refusal(verifyCallerProof(proof, check()))).toBe('PROOF_STALE');
  });

  it('an old proof (never seen before) after the window, and one from the future', async () => {
    const proof = await prove();
    setClock(T0 + PROOF_MAX_AGE_S * S);
    await expect(verifyCallerProof(proof, check())).resolves.toBeDefined();
    setClock(T0 + (PROOF_MAX_AGE_S + 1) * S);
    expect(await refusal(verifyCallerProof(proof, check({ replay: new MemoryReplayCache() })))).toBe('PROOF_STALE');
    const ahead = await prove({ now: T0 + (PROOF_MAX_FUTURE_S + 2) * S });
    setClock(T0);
    expect(await refusal(verifyCallerProof(ahead, check()))).toBe('ISSUED_IN_FUTURE');
  });

  it('another key than the token is bound to', async () => {
    const proof = await createCallerProof({ key: other.privateKey, publicJwk: other.publicJwk, htm: 'POST', htu: HTU, token: TOKEN, body: BODY });
    expect(await refusal(verifyCallerProof(proof, check()))).toBe('PROOF_KEY_MISMATCH');
  });

  it('a proof that names the bound key but is signed by another', async () => {
    const forged = await rawProof({}, await goodClaims(), other.privateKey as JWK);
    expect(await refusal(verifyCallerProof(forged, check()))).toBe('REJECTED_BY_VERIFIER');
  });

  it('another method, endpoint (another gateway) or token', async () => {
    expect(await refusal(verifyCallerProof(await prove({ htm: 'GET' }), check()))).toBe('PROOF_WRONG_REQUEST');
    expect(await refusal(verifyCallerProof(await prove({ htu: 'https://rogue.example.org/graphql' }), check()))).toBe('PROOF_WRONG_REQUEST');
    expect(await refusal(verifyCallerProof(await prove({ htu: 'https://gw.example.org/other' }), check()))).toBe('PROOF_WRONG_REQUEST');
    expect(await refusal(verifyCallerProof(await prove({ token: `${TOKEN}x` }), check()))).toBe('PROOF_WRONG_REQUEST');
  });

  it('another body, by one byte', async () => {
    const proof = await prove();
    expect(await refusal(verifyCallerProof(proof, check({ body: BODY.replace('name', 'namf') })))).toBe('BODY_MISMATCH');
    expect(await refusal(verifyCallerProof(proof, check({ body: `${BODY} ` })))).toBe('BODY_MISMATCH');
  });

  it('a refused proof is not remembered: the real request still goes through', async () => {
    const proof = await prove();
    expect(await refusal(verifyCallerProof(proof, check({ body: '{}' })))).toBe('BODY_MISMATCH');
    await expect(verifyCallerProof(proof, check())).resolves.toBeDefined();
  });

  it('wrong typ, algorithms other than ES256, a private key in the header, missing claims', async () => {
    const claims = await goodClaims();
    expect(await refusal(verifyCallerProof(await rawProof({ typ: 'JWT' }, claims), check()))).toBe('MALFORMED');
    expect(await refusal(verifyCallerProof(await rawProof({ jwk: caller.privateKey }, claims), check()))).toBe('MALFORMED');
    expect(await refusal(verifyCallerProof(await rawProof({ jwk: undefined }, claims), check()))).toBe('MALFORMED');
    for (const missing of ['jti', 'htm', 'htu', 'iat', 'ath', 'bdh']) {
      const partial: Record<string, unknown> = { ...claims, jti: `j-${missing}` };
      delete partial[missing];
      expect(await refusal(verifyCallerProof(await rawProof({}, partial), check()))).toBe('MALFORMED');
    }
    expect(await refusal(verifyCallerProof(await rawProof({}, { ...claims, iat: T0 / S + 0.5 }), check()))).toBe('MALFORMED');
    expect(await refusal(verifyCallerProof(await rawProof({}, { ...claims, jti: 'x'.repeat(200) }), check()))).toBe('MALFORMED');

    const [, p] = (await rawProof({}, claims)).split('.');
    const none = `${base64url.encode(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: caller.publicJwk }))}.${p}.AA`;
    expect(await refusal(verifyCallerProof(none, check()))).toBe('ALGORITHM_NOT_ALLOWED');
    const hs = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: caller.publicJwk } as never)
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await refusal(verifyCallerProof(hs, check()))).toBe('ALGORITHM_NOT_ALLOWED');
  });

  it('non-canonical encodings and oversized proofs', async () => {
    const proof = await prove();
    expect(await refusal(verifyCallerProof(`${proof}=`, check()))).toBe('NOT_CANONICAL');
    expect(await refusal(verifyCallerProof(proof.replace('.', '.+'), check()))).toBe('NOT_CANONICAL');
    const [h, p, sig] = proof.split('.');
    // the signature's last character with other trailing bits: decodes to the same bytes
    const last = sig.at(-1)!;
    const alias = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      .split('')
      .find((c) => c !== last && Buffer.from(`${sig.slice(0, -1)}${c}`, 'base64url').equals(Buffer.from(sig, 'base64url')))!;
    expect(await refusal(verifyCallerProof(`${h}.${p}.${sig.slice(0, -1)}${alias}`, check()))).toBe('NOT_CANONICAL');
    expect(await refusal(verifyCallerProof(`${proof}.x`, check()))).toBe('NOT_CANONICAL');
    expect(await refusal(verifyCallerProof('a'.repeat(5000), check()))).toBe('NOT_CANONICAL');
  });
});

describe.each([
  ['WebCrypto (any runtime)', WEB_PROOF_CRYPTO],
  ["Node's crypto (servers)", NODE_PROOF_CRYPTO],
])('the same verdicts with %s', (_name, impl) => {
  const checkWith = (over: Partial<CallerProofCheck> = {}) => check({ crypto: impl, ...over });
  it('accepts a valid proof once', async () => {
    const proof = await prove();
    await expect(verifyCallerProof(proof, checkWith())).resolves.toMatchObject({ jkt: caller.thumbprint });
    expect(await refusal(verifyCallerProof(proof, checkWith()))).toBe('REPLAYED');
  });
  it('refuses a forged signature, a truncated one, another key, another token and another body', async () => {
    const forged = await rawProof({}, await goodClaims(), other.privateKey as JWK);
    expect(await refusal(verifyCallerProof(forged, checkWith()))).toBe('REJECTED_BY_VERIFIER');
    const [h, p, sig] = (await prove()).split('.');
    expect(await refusal(verifyCallerProof(`${h}.${p}.${sig.slice(0, 40)}`, checkWith()))).toBe('REJECTED_BY_VERIFIER');
    const flipped = Buffer.from(sig, 'base64url');
    flipped[10] ^= 1;
    expect(await refusal(verifyCallerProof(`${h}.${p}.${flipped.toString('base64url')}`, checkWith()))).toBe('REJECTED_BY_VERIFIER');
    const mine = await createCallerProof({ key: other.privateKey, publicJwk: other.publicJwk, htm: 'POST', htu: HTU, token: TOKEN, body: BODY });
    expect(await refusal(verifyCallerProof(mine, checkWith()))).toBe('PROOF_KEY_MISMATCH');
    expect(await refusal(verifyCallerProof(await prove({ token: `${TOKEN}x` }), checkWith()))).toBe('PROOF_WRONG_REQUEST');
    expect(await refusal(verifyCallerProof(await prove(), checkWith({ body: `${BODY} ` })))).toBe('BODY_MISMATCH');
  });
});

describe('bound caller tokens', () => {
  let member: PrivateJwk;
  let memberPub: JWK & { kid: string };
  beforeAll(async () => {
    ({ privateJwk: member, publicJwk: memberPub } = await createKeyPair());
  });
  const verifyToken = (token: string) => verifyCallerToken(token, { audience: 'net', issuer: (id) => (id === 'alpha' ? { keys: [memberPub], revokedJti: [] } : undefined) });

  it('carry cnf.jkt, which verification returns as the bound key', async () => {
    const token = await issueCallerToken({ key: member, member: 'alpha', subject: 'ana', scopes: ['read'], audience: 'net', ttlSeconds: 600, boundTo: caller.thumbprint });
    await expect(verifyToken(token)).resolves.toMatchObject({ member: 'alpha', subject: 'ana', boundKey: caller.thumbprint });
    const unbound = await issueCallerToken({ key: member, member: 'alpha', subject: 'ana', scopes: ['read'], audience: 'net', ttlSeconds: 600 });
    expect((await verifyToken(unbound)).boundKey).toBeUndefined();
  });

  it('refuse an invalid thumbprint at issue, and any other confirmation method at verification', async () => {
    await expect(issueCallerToken({ key: member, member: 'alpha', subject: 'ana', scopes: [], audience: 'net', ttlSeconds: 600, boundTo: 'short' })).rejects.toThrow(TypeError);
    const { SignJWT } = await import('jose');
    for (const cnf of [{ jwk: caller.publicJwk }, { jkt: caller.thumbprint, x5t: 'y' }, { jkt: 'short' }, 'x', null]) {
      const token = await new SignJWT({ scope: 'read', cnf })
        .setProtectedHeader({ alg: 'EdDSA', kid: member.kid })
        .setIssuer('alpha')
        .setSubject('ana')
        .setAudience('net')
        .setIssuedAt()
        .setExpirationTime('10m')
        .setJti(`t-${Math.random()}`)
        .sign(await importKey(member));
      expect(await refusal(verifyToken(token))).toBe('MALFORMED');
    }
  });
});

describe('authorizationToken', () => {
  it('reads Bearer and DPoP, and refuses other forms', () => {
    expect(authorizationToken(undefined)).toBeUndefined();
    expect(authorizationToken('Bearer abc.def.ghi')).toEqual({ scheme: 'Bearer', token: 'abc.def.ghi' });
    expect(authorizationToken('DPoP abc.def.ghi')).toEqual({ scheme: 'DPoP', token: 'abc.def.ghi' });
    expect(authorizationToken('dpop abc.def.ghi')).toEqual({ scheme: 'DPoP', token: 'abc.def.ghi' });
    for (const bad of ['Basic abc', 'DPoP', 'DPoP a b', 'Bearer  abc']) expect(() => authorizationToken(bad)).toThrow(AuthError);
  });
});
