import { InfraredError } from '../errors';

/** Why a token or assertion was refused, as a stable code for the log (never for the client). */
export const AUTH_REFUSALS = [
  'MALFORMED',
  'NOT_CANONICAL',
  'ALGORITHM_NOT_ALLOWED',
  'UNKNOWN_ISSUER',
  'UNKNOWN_KEY',
  'UNUSABLE_KEY',
  'REJECTED_BY_VERIFIER',
  'ISSUED_IN_FUTURE',
  'LIFETIME_TOO_LONG',
  'REVOKED',
  'BODY_MISMATCH',
  'REPLAYED',
  /** A bound token (`cnf.jkt`) without a valid proof, or a proof with an unbound token. */
  'PROOF_REQUIRED',
  /** The proof's key is not the key the token is bound to. */
  'PROOF_KEY_MISMATCH',
  /** The proof is for another method, endpoint or token. */
  'PROOF_WRONG_REQUEST',
  /** The proof's `iat` is outside the freshness window. */
  'PROOF_STALE',
  /** A member's sub-request asks for something the caller's proven operation did not. */
  'NOT_A_SUBSET',
] as const;
export type AuthRefusal = (typeof AUTH_REFUSALS)[number];

/**
 * A token or assertion was refused. `code` is UNAUTHENTICATED; `refusal` and `reason` go to the
 * log only: clients get one generic message, so a refusal reveals nothing about keys, members
 * or revocations.
 */
export class AuthError extends InfraredError {
  constructor(
    readonly refusal: AuthRefusal,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('UNAUTHENTICATED', reason, options);
  }
}

export const GENERIC_AUTH_MESSAGE = 'Authentication failed';
export const ALLOWED_ALGS = ['EdDSA', 'ES256'] as const;

/** A jose failure as a log reason: its code and, for claim checks, the claim's name (never a value). */
export function joseReason(err: unknown): string {
  const { code, claim } = err as { code?: string; claim?: string };
  if (!code) return (err as Error).message;
  return claim ? `${code} (${claim})` : code;
}
