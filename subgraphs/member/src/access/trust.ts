import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../../common/caller';
import { ASSERTION_HEADER, verifyAssertion } from '../../../../common/auth/assertion';
import { bearerToken, verifyCallerToken } from '../../../../common/auth/caller-token';
import type { ReplayCache } from '../../../../common/auth/replay-cache';
import { issuerFromRegistry } from '../../../../common/registry/issuer';
import type { Registry } from '../../../../common/registry/registry.schema';

export interface MemberTrustOptions {
  memberId: string;
  /** The registry in force: gateway keys, and members' keys for direct tokens. */
  registry: () => Registry;
  /** The gateways this member trusts. Default: every gateway listed in the registry. */
  trustedGateways?: string[];
  /** Also accept a caller token sent straight to this subgraph, verified here. */
  acceptDirectTokens?: boolean;
  replay: ReplayCache;
}

/**
 * Who a request to this member is for:
 * - a valid gateway assertion → the caller it asserts;
 * - an assertion that is present but invalid (wrong key, expired, replayed, body changed) → 401;
 * - no assertion → anonymous (PUBLIC data only), or, when enabled, a caller token verified here.
 */
export function createCallerResolver(opts: MemberTrustOptions): (req: IncomingMessage, rawBody: Buffer) => Promise<Caller> {
  const trusted = opts.trustedGateways ? new Set(opts.trustedGateways) : undefined;
  return async (req, rawBody) => {
    const registry = opts.registry();
    const assertion = req.headers[ASSERTION_HEADER];
    if (typeof assertion === 'string' && assertion.length > 0) {
      return verifyAssertion(assertion, {
        member: opts.memberId,
        body: rawBody,
        replay: opts.replay,
        gateways: (id) => (trusted && !trusted.has(id) ? undefined : registry.gateways.find((g) => g.id === id)?.keys),
      });
    }
    if (!opts.acceptDirectTokens) return ANONYMOUS;
    const token = bearerToken(req.headers.authorization);
    if (!token) return ANONYMOUS;
    return verifyCallerToken(token, {
      audience: registry.network.id,
      issuer: (id) => issuerFromRegistry(registry, id),
    });
  };
}
