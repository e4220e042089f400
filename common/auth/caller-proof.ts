import { base64url, calculateJwkThumbprint, CompactSign, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { isCanonicalBase64url } from './canonical-jws';
import { AuthError } from './errors';
import type { ReplayCache } from './replay-cache';

/**
 * Caller proofs: a caller whose token is bound to a key it holds (`cnf.jkt`, as in OAuth DPoP,
 * RFC 9449) signs every request with that key. The proof binds the method, the gateway endpoint,
 * the time, a unique id, the token's hash (`ath`) and the hash of the exact request body (`bdh`),
 * so whoever relays it (a gateway) cannot use it for another request, another body, another
 * token, later, or twice at the same verifier.
 *
 * This module runs in Node.js and in browsers (WebCrypto only, no `node:` imports): the dashboard
 * signs proofs with a non-extractable key.
 *
 * Request from a proven caller: `Authorization: DPoP <token>` and `DPoP: <proof>`. The proof is a
 * compact JWS with the protected header `{ typ: "dpop+jwt", alg: "ES256", jwk }` and the claims
 * `{ jti, htm, htu, iat, ath, bdh }`.
 */

/** The request header that carries the proof. */
export const PROOF_HEADER = 'dpop';
export const PROOF_TYP = 'dpop+jwt';
/** Caller keys are P-256 (ES256): every browser's WebCrypto has it. */
export const PROOF_ALG = 'ES256';
/** How old a proof may be (its `iat`), in seconds. */
export const PROOF_MAX_AGE_S = 60;
/** How far in the future a proof's `iat` may be (the caller's clock running ahead), in seconds. */
export const PROOF_MAX_FUTURE_S = 60;
/** Longest `jti` accepted: a UUID is 36 characters. */
const MAX_JTI_LENGTH = 128;
/** Longest proof text accepted: a P-256 proof is about 600 characters. */
export const MAX_PROOF_LENGTH = 4096;

export type CallerSigningKey = CryptoKey | JWK;

export interface CallerKeyPair {
  /** Private JWK (extractable) or CryptoKey (browser: non-extractable). */
  privateKey: CallerSigningKey;
  /** The public JWK: `kty`, `crv`, `x`, `y` only. */
  publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key: the token's `cnf.jkt`. */
  thumbprint: string;
}

/**
 * Creates a P-256 caller key. `extractable: false` (the browser) keeps the private half inside
 * WebCrypto; `true` (the CLI) returns a private JWK that can be written to a file.
 * @example const { privateKey, publicJwk, thumbprint } = await createCallerKeyPair({ extractable: true });
 */
export async function createCallerKeyPair(opts: { extractable: boolean }): Promise<CallerKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(PROOF_ALG, { extractable: opts.extractable });
  const publicJwk = callerPublicJwk(await exportJWK(publicKey));
  return {
    privateKey: opts.extractable ? { ...(await exportJWK(privateKey)), alg: PROOF_ALG } : privateKey,
    publicJwk,
    thumbprint: await callerKeyThumbprint(publicJwk),
  };
}

/** The members of a caller's public P-256 JWK that the proof carries (no `d`, no extras). Throws on anything else. */
export function callerPublicJwk(jwk: JWK): JWK {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new AuthError('UNUSABLE_KEY', 'caller key is not a P-256 public key');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/**
 * The RFC 7638 SHA-256 thumbprint of a caller's public key, base64url: the value of a bound
 * token's `cnf.jkt`.
 */
export async function callerKeyThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(callerPublicJwk(jwk), 'sha256');
}

/**
 * Small memo tables for what every request of one caller repeats (its key, its token): bounded,
 * cleared when full: thumbprints and imported public keys by key, token hashes by token (held in
 * memory only, as every request's token is while it runs).
 */
class Memo<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max = 10_000) {}
  get(key: string, make: () => V): V {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= this.max) this.entries.clear();
      value = make();
      this.entries.set(key, value);
    }
    return value;
  }
  forget(key: string): void {
    this.entries.delete(key);
  }
}
/**
 * The two primitives proof verification needs. The default is WebCrypto (any runtime, the
 * browser included); servers pass Node's synchronous crypto (`common/auth/node-proof-crypto.ts`),
 * which costs a fraction of WebCrypto's asynchronous calls on every request.
 */
export interface ProofCrypto {
  /** base64url SHA-256 of the bytes (a string as UTF-8). */
  sha256(data: string | Uint8Array): string | Promise<string>;
  /** A verifier for one public P-256 key (made once per key): true when `signature` (IEEE P1363, r‖s) signs `input`. */
  es256Verifier(jwk: JWK): Promise<(input: string, signature: Uint8Array) => boolean | Promise<boolean>>;
}

export const WEB_PROOF_CRYPTO: ProofCrypto = {
  sha256: sha256b64url,
  async es256Verifier(jwk) {
    const key = await crypto.subtle.importKey('jwk', { ...jwk, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return (input, signature) => crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature as Uint8Array<ArrayBuffer>, new TextEncoder().encode(input));
  },
};

type Verifier = Awaited<ReturnType<ProofCrypto['es256Verifier']>>;
/** Public key (x.y) → [thumbprint, verifier], per crypto implementation. */
const proofKeys = new WeakMap<ProofCrypto, Memo<Promise<[string, Verifier]>>>();
/** Token → its SHA-256 (the proofs' `ath`). */
const tokenHashes = new Memo<string | Promise<string>>();

/** The thumbprint and a signature verifier of a caller's public key, once per key. */
function proofKey(jwk: JWK, impl: ProofCrypto): Promise<[string, Verifier]> {
  let memo = proofKeys.get(impl);
  if (!memo) proofKeys.set(impl, (memo = new Memo()));
  const id = `${jwk.x}.${jwk.y}`;
  const made = memo.get(id, async () => [await callerKeyThumbprint(jwk), await impl.es256Verifier(jwk)]);
  made.catch(() => memo.forget(id));
  return made;
}

/** base64url SHA-256 of the bytes (a string is hashed as UTF-8). */
export async function sha256b64url(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * The `htu` form of a URL (RFC 9449 4.3): scheme and host lower case, default port dropped, no
 * query or fragment. Throws TypeError for anything but an http(s) URL.
 * @example normalizeHtu('HTTPS://Gw.Example:443/graphql?x=1') // 'https://gw.example/graphql'
 */
export function normalizeHtu(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${url}`);
  if (parsed.username || parsed.password) throw new TypeError('a gateway endpoint URL carries no credentials');
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

export interface CallerProofInput {
  /** The caller's private key (P-256). */
  key: CallerSigningKey;
  /** Its public JWK (goes in the proof's header). */
  publicJwk: JWK;
  /** HTTP method, e.g. `POST`. */
  htm: string;
  /** The gateway endpoint URL the request goes to (query and fragment are dropped). */
  htu: string;
  /** The bound caller token the request carries. */
  token: string;
  /** The exact request body bytes (a string is sent as UTF-8). */
  body: string | Uint8Array;
  /** Unique id; default a random UUID. */
  jti?: string;
  /** Clock in ms since the epoch; default now. */
  now?: number;
}

/**
 * Signs a proof for one request: this method, this endpoint, this token, these exact body bytes,
 * now, once.
 * @example
 * const proof = await createCallerProof({ key, publicJwk, htm: 'POST', htu: 'https://gw.example/graphql', token, body });
 * fetch(url, { method: 'POST', body, headers: { authorization: `DPoP ${token}`, dpop: proof } });
 */
export async function createCallerProof(opts: CallerProofInput): Promise<string> {
  const claims = {
    jti: opts.jti ?? crypto.randomUUID(),
    htm: opts.htm.toUpperCase(),
    htu: normalizeHtu(opts.htu),
    iat: Math.floor((opts.now ?? Date.now()) / 1000),
    ath: await sha256b64url(opts.token),
    bdh: await sha256b64url(opts.body),
  };
  const key = isCryptoKey(opts.key) ? opts.key : ((await importJWK({ ...opts.key, alg: PROOF_ALG }, PROOF_ALG)) as CryptoKey);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ typ: PROOF_TYP, alg: PROOF_ALG, jwk: callerPublicJwk(opts.publicJwk) }).sign(key);
}

export interface CallerProofCheck {
  /** The bound token's `cnf.jkt`: the proof's key must have this thumbprint. */
  jkt: string;
  /** The token the request carries (compared with `ath`). */
  token: string;
  /** The exact body bytes the proof must cover (compared with `bdh`). */
  body: string | Uint8Array;
  /** The expected method. */
  htm: string;
  /** The endpoints this verifier accepts (`htu`, any form: they are normalized). */
  htu: readonly string[];
  /**
   * One-time use: the proof's (jkt, jti) is remembered here until the proof could no longer be
   * accepted. Each verifier (the gateway, each member) keeps its own.
   */
  replay: ReplayCache;
  /**
   * What one use is, when it is not the whole proof: a member that gets several sub-requests
   * for one caller request (a root fetch, then entity fetches) passes a hash of each sub-request,
   * so each distinct one is accepted once.
   */
  replayScope?: string;
  /** Hashing and signature verification; default WebCrypto. */
  crypto?: ProofCrypto;
  /** Clock in ms since the epoch; default now. */
  now?: number;
}

export interface VerifiedCallerProof {
  jti: string;
  iat: number;
  htu: string;
  jkt: string;
}

/**
 * Verifies a caller proof: a canonical compact JWS with `typ` dpop+jwt and `alg` ES256, whose
 * header key has the token's thumbprint (`jkt`) and verifies the signature; `htm` and `htu`
 * exact; `iat` at most 60 s old and at most 60 s ahead; `ath` = SHA-256 of the token; `bdh` =
 * SHA-256 of the body; and a `jti` this verifier never accepted before. Throws AuthError with a
 * refusal code (for the log only).
 */
export async function verifyCallerProof(proof: string, check: CallerProofCheck): Promise<VerifiedCallerProof> {
  const parts = proof.split('.');
  if (proof.length > MAX_PROOF_LENGTH || parts.length !== 3 || parts.some((p) => p === '' || !isCanonicalBase64url(p))) {
    throw new AuthError('NOT_CANONICAL', 'proof is not a canonical compact JWS');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch (err) {
    throw new AuthError('MALFORMED', 'malformed proof header', { cause: err });
  }
  if (header.typ !== PROOF_TYP) throw new AuthError('MALFORMED', `proof typ is not ${PROOF_TYP}`);
  if (header.alg !== PROOF_ALG) throw new AuthError('ALGORITHM_NOT_ALLOWED', `proof algorithm ${String(header.alg)} not allowed`);
  if (!header.jwk || typeof header.jwk !== 'object' || 'd' in header.jwk) throw new AuthError('MALFORMED', 'proof header has no public jwk');
  const impl = check.crypto ?? WEB_PROOF_CRYPTO;
  let thumbprint: string;
  let verify: Verifier;
  try {
    [thumbprint, verify] = await proofKey(callerPublicJwk(header.jwk), impl);
  } catch (err) {
    throw new AuthError('UNUSABLE_KEY', 'proof key is not a P-256 public key', { cause: err });
  }
  if (thumbprint !== check.jkt) throw new AuthError('PROOF_KEY_MISMATCH', 'proof key is not the key the token is bound to');
  const signature = base64url.decode(parts[2]);
  let verified = false;
  try {
    verified = signature.length === 64 && (await verify(`${parts[0]}.${parts[1]}`, signature));
  } catch (err) {
    throw new AuthError('REJECTED_BY_VERIFIER', 'proof signature does not verify', { cause: err });
  }
  if (!verified) throw new AuthError('REJECTED_BY_VERIFIER', 'proof signature does not verify');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(parts[1]))) as Record<string, unknown>;
  } catch (err) {
    throw new AuthError('MALFORMED', 'proof claims are not JSON', { cause: err });
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new AuthError('MALFORMED', 'proof claims are not an object');
  const { jti, htm, htu, iat, ath, bdh } = claims;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw new AuthError('MALFORMED', 'proof jti missing or too long');
  if (typeof htm !== 'string' || typeof htu !== 'string' || typeof ath !== 'string' || typeof bdh !== 'string') throw new AuthError('MALFORMED', 'proof claims incomplete');
  if (typeof iat !== 'number' || !Number.isInteger(iat)) throw new AuthError('MALFORMED', 'proof iat is not a whole number');
  if (htm !== check.htm.toUpperCase()) throw new AuthError('PROOF_WRONG_REQUEST', 'proof htm is not this request method');
  if (!check.htu.some((accepted) => sameEndpoint(accepted, htu))) throw new AuthError('PROOF_WRONG_REQUEST', 'proof htu is not an endpoint this service accepts');
  const now = Math.floor((check.now ?? Date.now()) / 1000);
  if (iat < now - PROOF_MAX_AGE_S) throw new AuthError('PROOF_STALE', 'proof is too old (iat)');
  if (iat > now + PROOF_MAX_FUTURE_S) throw new AuthError('ISSUED_IN_FUTURE', 'proof issued in the future (iat)');
  if (ath !== (await tokenHashes.get(check.token, () => impl.sha256(check.token)))) throw new AuthError('PROOF_WRONG_REQUEST', 'proof ath does not match the token');
  if (bdh !== (await impl.sha256(check.body))) throw new AuthError('BODY_MISMATCH', 'proof body hash does not match the request body');
  // kept until the proof's iat leaves the window: after that its age refuses it anyway
  const id = `proof:${thumbprint}:${jti}${check.replayScope ? `:${check.replayScope}` : ''}`;
  if (!(await check.replay.remember(id, (iat + PROOF_MAX_AGE_S) * 1000))) throw new AuthError('REPLAYED', 'proof replayed');
  return { jti, iat, htu, jkt: thumbprint };
}

/** A proof's `htu` against one accepted endpoint: equal after normalization; an unparsable one never matches. */
function sameEndpoint(accepted: string, htu: string): boolean {
  try {
    return normalizeHtu(accepted) === normalizeHtu(htu);
  } catch {
    return false;
  }
}

function isCryptoKey(key: CallerSigningKey): key is CryptoKey {
  return typeof (key as CryptoKey).algorithm === 'object' && typeof (key as CryptoKey).usages === 'object';
}

/** What the `Authorization` header carries: nothing, a bearer token, or a DPoP-bound token. */
export type AuthorizationToken = { scheme: 'Bearer' | 'DPoP'; token: string } | undefined;

/**
 * Parses `Authorization: Bearer <token>` or `Authorization: DPoP <token>` (scheme case-insensitive).
 * No header is undefined; any other form throws AuthError (MALFORMED).
 */
export function authorizationToken(header: string | undefined): AuthorizationToken {
  if (!header) return undefined;
  const match = /^(Bearer|DPoP) ([A-Za-z0-9_\-.~+/]+=*)$/i.exec(header.trim());
  if (!match) throw new AuthError('MALFORMED', 'malformed Authorization header');
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}
