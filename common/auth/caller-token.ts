import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Caller } from '../caller';
import { assertCanonicalCompactJws } from './canonical-jws';
import { ALLOWED_ALGS, AuthError, joseReason } from './errors';
import { algOf, importKey, type PrivateJwk } from './keys';

export const KNOWN_SCOPES = ['read', 'write'] as const;
export const MAX_TOKEN_LIFETIME_S = 30 * 24 * 3600;
export const CLOCK_SKEW_S = 60;

/** What verification needs to know about a token's issuer, from the registry. */
export interface IssuerInfo {
  keys: (JWK & { kid: string })[];
  revokedJti: readonly string[];
  revokedBefore?: Date;
}

/** An RFC 7638 SHA-256 thumbprint, base64url (43 characters). */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Issues a caller token for a member's person or bot. With `boundTo` (the RFC 7638 thumbprint of
 * the caller's public P-256 key, see `callerKeyThumbprint`), the token carries `cnf.jkt` and is
 * usable only with a proof signed by that key (`Authorization: DPoP`).
 * @example
 * const jwt = await issueCallerToken({ key, member: 'kafshata', subject: 'ana', scopes: ['read'], audience: 'infrared', ttlSeconds: 3600 });
 */
export async function issueCallerToken(opts: {
  key: PrivateJwk;
  member: string;
  subject: string;
  scopes: string[];
  audience: string;
  ttlSeconds: number;
  boundTo?: string;
  now?: number;
}): Promise<string> {
  if (opts.ttlSeconds <= 0 || opts.ttlSeconds > MAX_TOKEN_LIFETIME_S) throw new TypeError(`ttl must be between 1 second and 30 days`);
  if (opts.boundTo !== undefined && !THUMBPRINT.test(opts.boundTo)) throw new TypeError('boundTo must be a base64url SHA-256 JWK thumbprint');
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  return new SignJWT({ scope: opts.scopes.join(' '), ...(opts.boundTo ? { cnf: { jkt: opts.boundTo } } : {}) })
    .setProtectedHeader({ alg: algOf(opts.key), kid: opts.key.kid, typ: 'JWT' })
    .setIssuer(opts.member)
    .setSubject(opts.subject)
    .setAudience(opts.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + opts.ttlSeconds)
    .setJti(randomUUID())
    .sign(await importKey(opts.key));
}

/**
 * Verifies a caller token against the issuing member's pinned keys. Only EdDSA and ES256 are
 * accepted; `aud` must be the network; `exp`/`nbf` allow 60 s of skew; tokens valid for more than
 * 30 days and revoked tokens are refused. Throws AuthError with the specific reason.
 */
export async function verifyCallerToken(token: string, opts: { audience: string; issuer: (memberId: string) => IssuerInfo | undefined; now?: number }): Promise<Caller> {
  assertCanonicalCompactJws(token, 'token');
  let alg: string | undefined;
  let kid: string | undefined;
  let claims: JWTPayload;
  try {
    ({ alg, kid } = decodeProtectedHeader(token));
    claims = decodeJwt(token);
  } catch (err) {
    throw new AuthError('MALFORMED', 'malformed token', { cause: err });
  }
  if (!alg || !(ALLOWED_ALGS as readonly string[]).includes(alg)) throw new AuthError('ALGORITHM_NOT_ALLOWED', `algorithm ${String(alg)} not allowed`);
  if (typeof claims.iss !== 'string') throw new AuthError('UNKNOWN_ISSUER', 'token has no issuer');
  const issuer = opts.issuer(claims.iss);
  if (!issuer) throw new AuthError('UNKNOWN_ISSUER', `issuer ${claims.iss} is not a registered member`);
  const jwk = issuer.keys.find((k) => k.kid === kid);
  if (!jwk) throw new AuthError('UNKNOWN_KEY', `unknown kid for issuer ${claims.iss}`);
  if (algOf(jwk) !== alg) throw new AuthError('UNKNOWN_KEY', 'token algorithm does not match the pinned key');
  const currentDate = opts.now !== undefined ? new Date(opts.now) : undefined;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await importKey(jwk), {
      algorithms: [alg],
      issuer: claims.iss,
      audience: opts.audience,
      clockTolerance: CLOCK_SKEW_S,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      currentDate,
    }));
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('REJECTED_BY_VERIFIER', `token rejected: ${joseReason(err)}`, { cause: err });
  }
  // a future iat would stretch the 30-day bound and dodge `issuedBefore` revocation
  if ((payload.iat as number) > Math.floor((opts.now ?? Date.now()) / 1000) + CLOCK_SKEW_S) throw new AuthError('ISSUED_IN_FUTURE', 'token issued in the future (iat)');
  if ((payload.exp as number) - (payload.iat as number) > MAX_TOKEN_LIFETIME_S) throw new AuthError('LIFETIME_TOO_LONG', 'token lifetime exceeds 30 days');
  if (issuer.revokedJti.includes(payload.jti as string)) throw new AuthError('REVOKED', 'token revoked (jti)');
  if (issuer.revokedBefore && (payload.iat as number) * 1000 < issuer.revokedBefore.getTime()) throw new AuthError('REVOKED', 'token revoked (issued before)');
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => (KNOWN_SCOPES as readonly string[]).includes(s)) : [];
  const caller: Caller = { anonymous: false, member: claims.iss, subject: String(payload.sub).slice(0, 200), scopes: [...new Set(scopes)] };
  if (payload.cnf !== undefined) caller.boundKey = boundKeyOf(payload.cnf);
  return caller;
}

/** A token's `cnf`: exactly `{ jkt: <thumbprint> }`. Any other confirmation method is refused, never ignored. */
function boundKeyOf(cnf: unknown): string {
  const entries = cnf && typeof cnf === 'object' && !Array.isArray(cnf) ? Object.entries(cnf) : [];
  const jkt = (cnf as { jkt?: unknown } | undefined)?.jkt;
  if (entries.length !== 1 || typeof jkt !== 'string' || !THUMBPRINT.test(jkt)) throw new AuthError('MALFORMED', 'token cnf is not { jkt }');
  return jkt;
}

/** The token from `Authorization: Bearer …`, or undefined when there is none. Throws on a malformed header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(header.trim());
  if (!match) throw new AuthError('MALFORMED', 'malformed Authorization header');
  return match[1];
}
