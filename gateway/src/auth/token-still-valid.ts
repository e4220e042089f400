import { authorizationToken } from '../../../common/auth/caller-proof';
import { verifyCallerToken } from '../../../common/auth/caller-token';
import { AuthError } from '../../../common/auth/errors';
import { issuerFromRegistry } from '../../../common/registry/issuer';
import type { Registry } from '../../../common/registry/registry.schema';

/**
 * Whether the caller token in an Authorization header (`Bearer` or `DPoP`) that was accepted
 * earlier is still accepted by `registry`: it is checked again in full (signature against the
 * issuer's pinned keys, audience, lifetime, the issuer's revoked token ids and `issuedBefore`).
 * False when revoked, expired, or its issuer or key is no longer in the registry. A request's
 * proof is not checked again: it was for that request only.
 */
export async function callerTokenStillValid(authorization: string, registry: Registry): Promise<boolean> {
  try {
    const auth = authorizationToken(authorization);
    if (!auth) return false;
    await verifyCallerToken(auth.token, { audience: registry.network.id, issuer: (id) => issuerFromRegistry(registry, id) });
    return true;
  } catch (err) {
    if (err instanceof AuthError) return false;
    throw err;
  }
}
