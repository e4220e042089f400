import { createPrivateKey, sign } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { authRefusal } from '../../test/support/auth-refusal';
import { bodyHash, verifyAssertion } from './assertion';
import { AssertionSigner } from './assertion-signer';
import { AuthError } from './errors';
import { createKeyPair, importKey, publicPart, type PrivateJwk } from './keys';
import { MemoryReplayCache } from './replay-cache';
import { decodeCompactJws, verificationKey, verifyJwsSignature } from './sync-jws';

/**
 * The member verifies gateway assertions with node:crypto, synchronously, instead of jose's
 * WebCrypto. These tests hold it to what jose refused and accepted: forged and foreign
 * signatures, keys of the wrong type, headers and claims that are not what they claim to be.
 */
const BODY = Buffer.from('{"query":"{ services { id } }"}');
const now = () => Math.floor(Date.now() / 1000);

let ed: PrivateJwk;
let edPub: JWK & { kid: string };
let es: PrivateJwk;
let esPub: JWK & { kid: string };

beforeAll(async () => {
  ({ privateJwk: ed, publicJwk: edPub } = await createKeyPair());
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256');
  es = { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' } as PrivateJwk;
  esPub = publicPart(es) as JWK & { kid: string };
});

const verify = (assertion: string, keys: (JWK & { kid: string })[], opts: { member?: string; body?: Buffer } = {}) =>
  verifyAssertion(assertion, { member: opts.member ?? 'alpha', gateways: (id) => (id === 'gw' ? keys : undefined), body: opts.body ?? BODY, replay: new MemoryReplayCache() });

const refusal = authRefusal;

/** A compact JWS of exactly these header and payload bytes, signed with Ed25519 by `ed`. */
function signRaw(header: Record<string, unknown>, payload: Buffer): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload.toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), createPrivateKey({ key: ed as never, format: 'jwk' })).toString('base64url')}`;
}

/** An assertion with these claims and header, signed with jose (any header jose lets us set). */
async function raw(claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: PrivateJwk = ed): Promise<string> {
  const t = now();
  const alg = key.kty === 'EC' ? 'ES256' : 'EdDSA';
  return new SignJWT({ caller: { member: 'beta', sub: 'ana', scopes: ['read'] }, bh: bodyHash(BODY), iss: 'gw', aud: 'alpha', jti: `j-${Math.random()}`, iat: t, exp: t + 30, ...claims })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'infrared-assertion+jwt', ...header } as never)
    .sign(await importKey(key));
}

describe('synchronous assertion verification', () => {
  it('accepts EdDSA and ES256 assertions of the gateway signer, and an audience list naming this member', async () => {
    for (const [key, pub] of [
      [ed, edPub],
      [es, esPub],
    ] as const) {
      const signer = new AssertionSigner(key, 'gw');
      await expect(verify(signer.sign({ member: 'alpha', caller: { anonymous: false, member: 'beta', subject: 'ana', scopes: ['read'] }, body: BODY.toString() }), [pub])).resolves.toEqual({
        anonymous: false,
        member: 'beta',
        subject: 'ana',
        scopes: ['read'],
      });
    }
    await expect(verify(await raw({ aud: ['gamma', 'alpha'] }), [edPub])).resolves.toMatchObject({ member: 'beta' });
    expect((await refusal(verify(await raw({ aud: ['gamma'] }), [edPub]))).reason).toMatch(/aud/);
  });

  it('refuses a signature by another key under the pinned kid, for both algorithms, and a truncated ES256 signature', async () => {
    const otherEd = (await createKeyPair()).privateJwk;
    const forgedEd = await raw({}, {}, { ...otherEd, kid: ed.kid });
    expect((await refusal(verify(forgedEd, [edPub]))).reason).toMatch(/signature/);
    const pair = await generateKeyPair('ES256', { extractable: true });
    const otherEs = { ...(await exportJWK(pair.privateKey)), kid: es.kid, alg: 'ES256' } as PrivateJwk;
    expect((await refusal(verify(await raw({}, {}, otherEs), [esPub]))).reason).toMatch(/signature/);
    const good = await raw({}, {}, es);
    const [h, p, s] = good.split('.');
    const short = Buffer.from(s, 'base64url').subarray(0, 63).toString('base64url');
    expect((await refusal(verify(`${h}.${p}.${short}`, [esPub]))).refusal).toBe('REJECTED_BY_VERIFIER');
    await expect(verify(good, [esPub])).resolves.toMatchObject({ member: 'beta' });
  });

  it('refuses an assertion whose alg does not match the pinned key, or whose key is of another curve', async () => {
    const edSigned = await raw({});
    // the header says EdDSA, the pinned key under that kid is a P-256 key
    expect((await refusal(verify(edSigned, [{ ...esPub, kid: ed.kid }]))).refusal).toBe('UNKNOWN_KEY');
    // an OKP key of another curve is not an Ed25519 key
    expect(() => verificationKey({ ...edPub, crv: 'Ed448' }, 'EdDSA')).toThrow(AuthError);
    expect(() => verificationKey(esPub, 'EdDSA')).toThrow(/not a EdDSA key/);
    expect(() => verificationKey({ kty: 'OKP', crv: 'Ed25519', x: 'AA' }, 'EdDSA')).toThrow(/cannot be imported/);
  });

  it('refuses critical header extensions, which it does not understand', async () => {
    const t = now();
    const claims = { caller: { member: 'beta' }, bh: bodyHash(BODY), iss: 'gw', aud: 'alpha', jti: 'j-crit', iat: t, exp: t + 30 };
    const withCrit = signRaw({ alg: 'EdDSA', kid: ed.kid, crit: ['exp-ext'], 'exp-ext': true }, Buffer.from(JSON.stringify(claims)));
    await expect(verify(signRaw({ alg: 'EdDSA', kid: ed.kid }, Buffer.from(JSON.stringify(claims))), [edPub])).resolves.toMatchObject({ member: 'beta' });
    expect((await refusal(verify(withCrit, [edPub]))).reason).toMatch(/crit/);
  });

  it('refuses claims of the wrong type: exp, iat and nbf must be numbers, jti a string', async () => {
    for (const claims of [{ exp: String(now() + 30) }, { iat: String(now()) }, { nbf: 'soon' }, { jti: 42 }, { jti: '' }]) {
      const err = await refusal(verify(await raw(claims), [edPub]));
      expect([claims, err.refusal]).toEqual([claims, 'REJECTED_BY_VERIFIER']);
    }
  });

  it('refuses a payload that is not a JSON object, or not well-formed UTF-8, even when signed', async () => {
    for (const payload of [Buffer.from('[1,2]'), Buffer.from('"text"'), Buffer.from('not json'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])]) {
      expect((await refusal(verify(signRaw({ alg: 'EdDSA', kid: ed.kid }, payload), [edPub]))).refusal).toBe('MALFORMED');
    }
  });

  it('decodes only canonical compact JWS, and verifyJwsSignature answers false for a changed payload', async () => {
    const assertion = await raw({});
    const decoded = decodeCompactJws(assertion, 'assertion');
    expect(decoded.header).toMatchObject({ alg: 'EdDSA', kid: ed.kid });
    expect(verifyJwsSignature(decoded, verificationKey(edPub, 'EdDSA'), 'EdDSA')).toBe(true);
    expect(verifyJwsSignature({ ...decoded, signingInput: `${decoded.signingInput}A` }, verificationKey(edPub, 'EdDSA'), 'EdDSA')).toBe(false);
    expect(() => decodeCompactJws(`${assertion}=`, 'assertion')).toThrow(/not canonical/);
    expect(() => decodeCompactJws(assertion.split('.').slice(0, 2).join('.'), 'assertion')).toThrow(/not canonical/);
  });
});
