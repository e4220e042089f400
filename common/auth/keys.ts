import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import { AuthError } from './errors';

export interface PrivateJwk extends JWK {
  kid: string;
  d: string;
}

/**
 * Creates an Ed25519 key pair. `kid` is the RFC 7638 thumbprint of the public key.
 * @example const { privateJwk, publicJwk } = await createKeyPair();
 */
export async function createKeyPair(): Promise<{ privateJwk: PrivateJwk; publicJwk: JWK & { kid: string } }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const publicJwk = { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: 'EdDSA', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' } as PrivateJwk;
  return { privateJwk, publicJwk };
}

/** The public half of a private JWK. */
export function publicPart(jwk: JWK): JWK & { kid?: string } {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

/** Reads a private JWK file and checks it has what signing needs. */
export function readPrivateJwk(file: string): PrivateJwk {
  let jwk: PrivateJwk;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as PrivateJwk;
  } catch (err) {
    throw new TypeError(`cannot read private key ${file}: ${(err as Error).message}`);
  }
  if (!jwk.d || !jwk.kid || !['OKP', 'EC'].includes(String(jwk.kty))) throw new TypeError(`${file} is not a private Ed25519 or P-256 JWK with a kid`);
  return jwk;
}

export function algOf(jwk: JWK): 'EdDSA' | 'ES256' {
  return jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
}

const imported = new Map<string, Promise<CryptoKey>>();

/** Imports a JWK once per process (keyed by its JSON). */
export function importKey(jwk: JWK): Promise<CryptoKey> {
  const cacheKey = JSON.stringify(jwk);
  let key = imported.get(cacheKey);
  if (!key) {
    key = importJWK(jwk, algOf(jwk)).then((k) => k as CryptoKey);
    key.catch(() => imported.delete(cacheKey));
    if (imported.size > 10_000) imported.clear();
    imported.set(cacheKey, key);
  }
  return key.catch((err) => {
    throw new AuthError('UNUSABLE_KEY', 'pinned key cannot be imported', { cause: err });
  });
}
