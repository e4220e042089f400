import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { canonicalBase64urlBytes } from './canonical-jws';
import { AuthError } from './errors';

/** A compact JWS split and decoded, its signature not yet checked. */
export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a compact JWS whose three parts are canonical base64url (one text per signature, see
 * `canonicalBase64urlBytes`) and decodes its header and claims, each a JSON object in well-formed
 * UTF-8. Throws NOT_CANONICAL or MALFORMED; the signature is checked by `verifyJwsSignature`.
 */
export function decodeCompactJws(jws: string, what: 'token' | 'assertion'): DecodedJws {
  const parts = jws.split('.');
  // each part decoded once: the canonical check's bytes are the ones parsed and verified
  const bytes = parts.length === 3 && parts[0] !== '' && parts[2] !== '' ? parts.map(canonicalBase64urlBytes) : [];
  const [headerBytes, claimsBytes, signature] = bytes;
  if (!headerBytes || !claimsBytes || !signature) {
    throw new AuthError('NOT_CANONICAL', `${what} is not canonical base64url (padding, foreign characters or non-zero trailing bits)`);
  }
  const header = jsonObject(headerBytes);
  const claims = jsonObject(claimsBytes);
  if (!header || !claims) throw new AuthError('MALFORMED', `malformed ${what}`);
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature };
}

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Node key objects of pinned public keys, made once per key object of a registry snapshot. */
const keyObjects = new WeakMap<JWK, KeyObject>();

/**
 * The node:crypto public key of a pinned Ed25519 (`EdDSA`) or P-256 (`ES256`) JWK, for `alg`.
 * Throws UNKNOWN_KEY when the key is of another algorithm, UNUSABLE_KEY when it cannot be imported.
 */
export function verificationKey(jwk: JWK, alg: 'EdDSA' | 'ES256'): KeyObject {
  const fits = alg === 'EdDSA' ? jwk.kty === 'OKP' && jwk.crv === 'Ed25519' : jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (!fits) throw new AuthError('UNKNOWN_KEY', `the pinned key is not a ${alg} key`);
  let key = keyObjects.get(jwk);
  if (!key) {
    try {
      key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y !== undefined ? { y: jwk.y } : {}) } as never, format: 'jwk' });
    } catch (err) {
      throw new AuthError('UNUSABLE_KEY', 'pinned key cannot be imported', { cause: err });
    }
    keyObjects.set(jwk, key);
  }
  return key;
}

/**
 * Checks a decoded JWS's signature with node:crypto, synchronously (jose verifies through
 * WebCrypto, an asynchronous job per signature). ES256 signatures are IEEE P1363 (r‖s), as JWS
 * has them. Returns false for a wrong or malformed signature.
 */
export function verifyJwsSignature(jws: DecodedJws, key: KeyObject, alg: 'EdDSA' | 'ES256'): boolean {
  const input = Buffer.from(jws.signingInput);
  try {
    return alg === 'EdDSA' ? verify(null, input, key, jws.signature) : jws.signature.length === 64 && verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}
