import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../common/caller';
import { bearerToken } from '../../../common/auth/caller-token';
import { VerifiedCallerTokens } from '../../../common/auth/verified-caller-tokens';
import { issuerFromRegistry } from '../../../common/registry/issuer';
import type { Registry } from '../../../common/registry/registry.schema';

/** Tokens whose signature was checked (callers send the same token with every request). */
const verifiedTokens = new VerifiedCallerTokens();

/**
 * The caller of a gateway request: anonymous without a token, otherwise the verified token's
 * member, subject and scopes. Throws AuthError (the reason is for the log only).
 */
export async function authenticate(req: IncomingMessage, registry: Registry): Promise<Caller> {
  const token = bearerToken(req.headers.authorization);
  if (!token) return ANONYMOUS;
  return verifiedTokens.verify(token, { audience: registry.network.id, issuer: (id) => issuerFromRegistry(registry, id) });
}
