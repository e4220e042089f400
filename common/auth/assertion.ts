import { hash, randomUUID } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { Caller } from '../caller';
import { ALLOWED_ALGS, AuthError } from './errors';
import { algOf, importKey, type PrivateJwk } from './keys';
import type { ReplayCache } from './replay-cache';
import { decodeProof, foldProof, merkleLeaf } from './assertion-merkle';
import { decodeCompactJws, verificationKey, verifyJwsSignature } from './sync-jws';

export const ASSERTION_HEADER = 'infrared-assertion';
export const ASSERTION_TTL_S = 30;
/** `typ` of the assertion for one member call (`aud`, `bh`). */
export const ASSERTION_TYP = 'infrared-assertion+jwt';
/** `typ` of a batch assertion: a Merkle root (`mr`) over many member calls, with a proof per call. */
export const BATCH_ASSERTION_TYP = 'infrared-assertion-batch+jwt';
/**
 * The assertion form a member names in its `/ready` answer (`assertionForms`) when it accepts
 * batch assertions; the gateway sends that form only to members that name it.
 */
export const BATCH_ASSERTION_FORM = 'merkle-batch-v1';

/** The `caller` claim of an assertion. */
export function callerClaim(caller: Caller): { anonymous: true } | { member: string | undefined; sub: string | undefined; scopes: string[] } {
  return caller.anonymous ? { anonymous: true } : { member: caller.member, sub: caller.subject, scopes: caller.scopes };
}
const MAX_ASSERTION_LIFETIME_S = 60;

/** base64url SHA-256 of the exact request body (one-shot `crypto.hash`: no Hash object per call). */
export function bodyHash(body: string | Buffer): string {
  return hash('sha256', body, 'base64url');
}

/**
 * Signs the gateway's assertion for one sub-request: who the caller is, for which member, bound to
 * the exact body.
 */
export async function signAssertion(opts: { key: PrivateJwk; gatewayId: string; member: string; caller: Caller; body: string | Buffer; now?: number }): Promise<string> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  return new SignJWT({ caller: callerClaim(opts.caller), bh: bodyHash(opts.body) })
    .setProtectedHeader({ alg: algOf(opts.key), kid: opts.key.kid, typ: ASSERTION_TYP })
    .setIssuer(opts.gatewayId)
    .setAudience(opts.member)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_TTL_S)
    .setJti(randomUUID())
    .sign(await importKey(opts.key));
}

/** The 5 s of clock skew a member allows a gateway's `exp` and `nbf`. */
const ASSERTION_SKEW_S = 5;

/**
 * Verifies a gateway assertion at a member: a trusted gateway's key, at most 60 s of life, bound
 * to this member and to the body received, and never seen before. Two forms:
 * - classic (`typ` infrared-assertion+jwt): `aud` = this member, `bh` = the body's hash; no proof;
 * - batch (`typ` infrared-assertion-batch+jwt): a signed Merkle root `mr` and no `aud` or `bh`;
 *   `proof` (header `infrared-assertion-proof`) must lead from this call's leaf, computed HERE from
 *   this member's own id, the received body's hash and the proof's nonce, to `mr`.
 * An assertion with both `aud` and `mr`, a batch assertion without a proof, and a classic one with
 * a proof are refused.
 *
 * The signature is checked with node:crypto, synchronously (sync-jws.ts), against the pinned key
 * of the gateway that `iss` names; the claims as jose's `jwtVerify` checks them (`exp` and `nbf`
 * with 5 s of skew, `exp`, `iat` and `jti` required), plus the rules above. Only the replay check
 * waits (the member's replay store). The replay key is one per member call: `iss:jti` for the
 * classic form, `iss:jti:nonce` for a leaf of a batch (two calls of one batch may go to the same
 * member, and each is accepted once).
 */
export async function verifyAssertion(
  assertion: string,
  opts: { member: string; gateways: (id: string) => (JWK & { kid: string })[] | undefined; body: Buffer; replay: ReplayCache; proof?: string; now?: number },
): Promise<Caller> {
  const { replayKey, exp, caller } = checkAssertion(assertion, opts);
  if (!(await opts.replay.remember(replayKey, exp * 1000))) throw new AuthError('REPLAYED', 'assertion replayed');
  return caller;
}

/** Everything `verifyAssertion` checks but the replay: the signature, the claims and the body binding. */
function checkAssertion(
  assertion: string,
  opts: { member: string; gateways: (id: string) => (JWK & { kid: string })[] | undefined; body: Buffer; proof?: string; now?: number },
): { replayKey: string; exp: number; caller: Caller } {
  const jws = decodeCompactJws(assertion, 'assertion');
  const { alg, kid, crit, typ } = jws.header;
  if (typeof alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(alg)) throw new AuthError('ALGORITHM_NOT_ALLOWED', `assertion algorithm ${String(alg)} not allowed`);
  const { iss } = jws.claims;
  const keys = typeof iss === 'string' ? opts.gateways(iss) : undefined;
  if (!keys) throw new AuthError('UNKNOWN_ISSUER', `assertion from untrusted gateway ${String(iss)}`);
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk || algOf(jwk) !== alg) throw new AuthError('UNKNOWN_KEY', 'assertion key not trusted');
  // no critical header extension is understood here (jose refuses unknown ones too)
  if (crit !== undefined) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: critical header parameter (crit)');
  if (!verifyJwsSignature(jws, verificationKey(jwk, alg as 'EdDSA' | 'ES256'), alg as 'EdDSA' | 'ES256')) {
    throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: signature verification failed');
  }
  const claims = jws.claims;
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const batch = Object.hasOwn(claims, 'mr');
  if (batch && (Object.hasOwn(claims, 'aud') || Object.hasOwn(claims, 'bh'))) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: a batch root (mr) beside an audience or body hash');
  if (batch !== (typ === BATCH_ASSERTION_TYP)) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: the type (typ) does not match the form');
  if (batch && opts.proof === undefined) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: a batch assertion without its proof');
  if (!batch && opts.proof !== undefined) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: a proof beside a single-call assertion');
  for (const claim of ['exp', 'iat', 'jti', batch ? 'mr' : 'aud'] as const) {
    if (!Object.hasOwn(claims, claim)) throw new AuthError('REJECTED_BY_VERIFIER', `assertion rejected: missing claim (${claim})`);
  }
  const { exp, iat, nbf, jti, aud } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (exp)');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (iat)');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (nbf)');
  if (typeof jti !== 'string' || jti === '') throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a string (jti)');
  if (!batch && !(aud === opts.member || (Array.isArray(aud) && aud.includes(opts.member)))) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: another audience (aud)');
  if (nbf !== undefined && nbf > now + ASSERTION_SKEW_S) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not yet valid (nbf)');
  if (exp <= now - ASSERTION_SKEW_S) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: expired (exp)');
  // a future iat would stretch the 60 s bound
  if (iat > now + MAX_ASSERTION_LIFETIME_S) throw new AuthError('ISSUED_IN_FUTURE', 'assertion issued in the future (iat)');
  if (exp - iat > MAX_ASSERTION_LIFETIME_S) throw new AuthError('LIFETIME_TOO_LONG', 'assertion lifetime exceeds 60 s');
  if (!batch) {
    if (claims.bh !== bodyHash(opts.body)) throw new AuthError('BODY_MISMATCH', 'assertion body hash does not match the request body');
    return { replayKey: `${iss as string}:${jti}`, exp, caller: assertedCaller(claims.caller) };
  }
  const proof = decodeProof(opts.proof!);
  const leaf = merkleLeaf(opts.member, bodyHash(opts.body), proof.nonce);
  // the proof is for another member, another body or another nonce, or its path was altered
  if (typeof claims.mr !== 'string' || foldProof(leaf, proof.steps).toString('base64url') !== claims.mr) {
    throw new AuthError('BODY_MISMATCH', 'assertion proof does not lead from this member and body to the signed root');
  }
  return { replayKey: `${iss as string}:${jti}:${proof.nonce}`, exp, caller: assertedCaller(claims.caller) };
}

/** The caller an assertion names: a member's caller only with a member id, else anonymous. */
function assertedCaller(claim: unknown): Caller {
  const caller = claim as { anonymous?: boolean; member?: unknown; sub?: unknown; scopes?: unknown } | undefined;
  if (!caller || typeof caller !== 'object' || caller.anonymous || typeof caller.member !== 'string') return { anonymous: true, scopes: [] };
  return {
    anonymous: false,
    member: caller.member,
    subject: typeof caller.sub === 'string' ? caller.sub : undefined,
    scopes: Array.isArray(caller.scopes) ? caller.scopes.filter((s): s is string => typeof s === 'string') : [],
  };
}
