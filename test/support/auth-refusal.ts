import { AuthError } from '../../common/auth/errors';

/**
 * The AuthError a verification rejects with; the test fails when it resolves, or rejects with
 * anything else.
 *
 * @example
 * expect((await authRefusal(verifyAssertion(forged, opts))).reason).toBe('REJECTED_BY_VERIFIER');
 */
export async function authRefusal(p: Promise<unknown>): Promise<AuthError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}
