/**
 * When the (already verified) caller token in an Authorization header expires, in ms since the
 * epoch; undefined without a token or an `exp`. A live stream ends then: a subscription is not a
 * way to outlive the token that opened it.
 */
export function tokenExpiresAt(authorization: string | undefined): number | undefined {
  const token = authorization?.trim().split(/\s+/).pop();
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
