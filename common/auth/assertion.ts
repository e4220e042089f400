import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Caller } from '../caller';
import { assertCanonicalCompactJws } from './canonical-jws';
import { ALLOWED_ALGS, AuthError, joseReason } from './errors';
import { algOf, importKey, type PrivateJwk } from './keys';
import type { ReplayCache } from './replay-cache';

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

/**
 * Verifies a gateway assertion at a member: a trusted gateway's key, `aud` = this member, at most
 * 60 s of life, a body hash that matches the bytes received, and a `jti` never seen before.
 */
export async function verifyAssertion(
  assertion: string,
  opts: { member: string; gateways: (id: string) => (JWK & { kid: string })[] | undefined; body: Buffer; replay: ReplayCache; now?: number },
): Promise<Caller> {
  assertCanonicalCompactJws(assertion, 'assertion');
  let alg: string | undefined;
  let kid: string | undefined;
  let iss: unknown;
  try {
    ({ alg, kid } = decodeProtectedHeader(assertion));
    ({ iss } = decodeJwt(assertion));
  } catch (err) {
    throw new AuthError('MALFORMED', 'malformed assertion', { cause: err });
  }
  if (!alg || !(ALLOWED_ALGS as readonly string[]).includes(alg)) throw new AuthError('ALGORITHM_NOT_ALLOWED', `assertion algorithm ${String(alg)} not allowed`);
  const keys = typeof iss === 'string' ? opts.gateways(iss) : undefined;
  if (!keys) throw new AuthError('UNKNOWN_ISSUER', `assertion from untrusted gateway ${String(iss)}`);
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk || algOf(jwk) !== alg) throw new AuthError('UNKNOWN_KEY', 'assertion key not trusted');
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, await importKey(jwk), {
      algorithms: [alg],
      issuer: iss as string,
      audience: opts.member,
      clockTolerance: 5,
      requiredClaims: ['exp', 'iat', 'jti'],
      currentDate: opts.now !== undefined ? new Date(opts.now) : undefined,
    }));
  } catch (err) {
    throw new AuthError('REJECTED_BY_VERIFIER', `assertion rejected: ${joseReason(err)}`, { cause: err });
  }
  const exp = payload.exp as number;
  const iat = payload.iat as number;
  // a future iat would stretch the 60 s bound
  if (iat > Math.floor((opts.now ?? Date.now()) / 1000) + MAX_ASSERTION_LIFETIME_S) throw new AuthError('ISSUED_IN_FUTURE', 'assertion issued in the future (iat)');
  if (exp - iat > MAX_ASSERTION_LIFETIME_S) throw new AuthError('LIFETIME_TOO_LONG', 'assertion lifetime exceeds 60 s');
  if (payload.bh !== bodyHash(opts.body)) throw new AuthError('BODY_MISMATCH', 'assertion body hash does not match the request body');
  if (!(await opts.replay.remember(`${iss as string}:${payload.jti as string}`, exp * 1000))) throw new AuthError('REPLAYED', 'assertion replayed');
  const caller = payload.caller as { anonymous?: boolean; member?: unknown; sub?: unknown; scopes?: unknown } | undefined;
  if (!caller || caller.anonymous || typeof caller.member !== 'string') return { anonymous: true, scopes: [] };
  return {
    anonymous: false,
    member: caller.member,
    subject: typeof caller.sub === 'string' ? caller.sub : undefined,
    scopes: Array.isArray(caller.scopes) ? caller.scopes.filter((s): s is string => typeof s === 'string') : [],
  };
}
