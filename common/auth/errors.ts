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
