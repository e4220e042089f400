/**
 * Why a token or assertion was refused. The reason goes to the log only: clients get one generic
 * message, so a refusal reveals nothing about keys, members or revocations.
 */
export class AuthError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'AuthError';
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
