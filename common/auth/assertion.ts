import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { Caller } from '../caller';
import { ALLOWED_ALGS, AuthError } from './errors';
import { algOf, importKey, type PrivateJwk } from './keys';
import type { ReplayCache } from './replay-cache';
import { decodeCompactJws, verificationKey, verifyJwsSignature } from './sync-jws';

export const ASSERTION_HEADER = 'infrared-assertion';
export const ASSERTION_TTL_S = 30;
const MAX_ASSERTION_LIFETIME_S = 60;

/** base64url SHA-256 of the exact request body. */
export function bodyHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * Signs the gateway's assertion for one sub-request: who the caller is, for which member, bound to
 * the exact body.
 */
export async function signAssertion(opts: { key: PrivateJwk; gatewayId: string; member: string; caller: Caller; body: string | Buffer; now?: number }): Promise<string> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const caller = opts.caller.anonymous ? { anonymous: true } : { member: opts.caller.member, sub: opts.caller.subject, scopes: opts.caller.scopes };
  return new SignJWT({ caller, bh: bodyHash(opts.body) })
    .setProtectedHeader({ alg: algOf(opts.key), kid: opts.key.kid, typ: 'infrared-assertion+jwt' })
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
 * Verifies a gateway assertion at a member: a trusted gateway's key, `aud` = this member, at most
 * 60 s of life, a body hash that matches the bytes received, and a `jti` never seen before.
 *
 * The signature is checked with node:crypto, synchronously (sync-jws.ts), against the pinned key
 * of the gateway that `iss` names; the claims as jose's `jwtVerify` checks them (`exp` and `nbf`
 * with 5 s of skew, `exp`, `iat` and `jti` required), plus the rules above. Only the replay check
 * waits (the member's replay store).
 */
export async function verifyAssertion(
  assertion: string,
  opts: { member: string; gateways: (id: string) => (JWK & { kid: string })[] | undefined; body: Buffer; replay: ReplayCache; now?: number },
): Promise<Caller> {
  const { iss, jti, exp, caller } = checkAssertion(assertion, opts);
  if (!(await opts.replay.remember(`${iss}:${jti}`, exp * 1000))) throw new AuthError('REPLAYED', 'assertion replayed');
  return caller;
}

/** Everything `verifyAssertion` checks but the replay: the signature, the claims and the body hash. */
function checkAssertion(
  assertion: string,
  opts: { member: string; gateways: (id: string) => (JWK & { kid: string })[] | undefined; body: Buffer; now?: number },
): { iss: string; jti: string; exp: number; caller: Caller } {
  const jws = decodeCompactJws(assertion, 'assertion');
  const { alg, kid, crit } = jws.header;
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
  for (const claim of ['exp', 'iat', 'jti', 'aud'] as const) {
    if (!Object.hasOwn(claims, claim)) throw new AuthError('REJECTED_BY_VERIFIER', `assertion rejected: missing claim (${claim})`);
  }
  const { exp, iat, nbf, jti, aud } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (exp)');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (iat)');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a number (nbf)');
  if (typeof jti !== 'string' || jti === '') throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not a string (jti)');
  if (!(aud === opts.member || (Array.isArray(aud) && aud.includes(opts.member)))) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: another audience (aud)');
  if (nbf !== undefined && nbf > now + ASSERTION_SKEW_S) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: not yet valid (nbf)');
  if (exp <= now - ASSERTION_SKEW_S) throw new AuthError('REJECTED_BY_VERIFIER', 'assertion rejected: expired (exp)');
  // a future iat would stretch the 60 s bound
  if (iat > now + MAX_ASSERTION_LIFETIME_S) throw new AuthError('ISSUED_IN_FUTURE', 'assertion issued in the future (iat)');
  if (exp - iat > MAX_ASSERTION_LIFETIME_S) throw new AuthError('LIFETIME_TOO_LONG', 'assertion lifetime exceeds 60 s');
  if (claims.bh !== bodyHash(opts.body)) throw new AuthError('BODY_MISMATCH', 'assertion body hash does not match the request body');
  return { iss: iss as string, jti, exp, caller: assertedCaller(claims.caller) };
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
