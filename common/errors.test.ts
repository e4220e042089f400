import { AuthError } from './auth/errors';
import { InfraredError, ERROR_CODES } from './errors';
import { BodyTooLargeError } from './http/read-body';
import { IndicatorError } from './indicators';
import { RegistryError } from './registry/load-registry';

describe('InfraredError: one base class, one union of codes', () => {
  it('names each error after its class and keeps a code from the union and the cause', () => {
    const cause = new Error('jose said no');
    const errors: [InfraredError, string, string][] = [
      [new AuthError('REVOKED', 'token revoked (jti)', { cause }), 'AuthError', 'UNAUTHENTICATED'],
      [new BodyTooLargeError(10), 'BodyTooLargeError', 'PAYLOAD_TOO_LARGE'],
      [new IndicatorError('not an IP'), 'IndicatorError', 'INVALID_INDICATOR'],
      [new RegistryError(['line 1: bad']), 'RegistryError', 'INVALID_REGISTRY'],
    ];
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(InfraredError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(ERROR_CODES).toContain(error.code);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
    }
    expect(errors[0][0].cause).toBe(cause);
  });

  it('an auth refusal carries its refusal code for the log, while its client code stays UNAUTHENTICATED', () => {
    const error = new AuthError('REPLAYED', 'assertion replayed');
    expect(error.refusal).toBe('REPLAYED');
    expect(error.reason).toBe('assertion replayed');
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});
