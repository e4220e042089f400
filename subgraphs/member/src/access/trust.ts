import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../../common/caller';
import { ASSERTION_HEADER, verifyAssertion } from '../../../../common/auth/assertion';
import { AuthError } from '../../../../common/auth/errors';
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
        gateways: gatewayKeys(registry, trusted),
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

/**
 * What a member's `/ready` says about a gateway's probe assertion. `unknown`: it could not be
 * checked (the replay store, in the member's database, did not answer), which is not a refusal.
 */
export type GatewayProbeAnswer = { gateway: 'trusted' } | { gateway: 'refused'; reason: string } | { gateway: 'unknown' };

/**
 * Checks the signed assertion a gateway sends with its health probe (`GET /ready`, empty body),
 * with the same keys, audience, lifetime and replay rules as a real sub-request, so the gateway
 * learns whether its callers' sub-requests would be accepted, before any caller finds out.
 */
export function createGatewayProbe(opts: MemberTrustOptions): (req: IncomingMessage) => Promise<GatewayProbeAnswer> {
  const trusted = opts.trustedGateways ? new Set(opts.trustedGateways) : undefined;
  return async (req) => {
    const assertion = req.headers[ASSERTION_HEADER];
    if (typeof assertion !== 'string' || !assertion) return { gateway: 'refused', reason: 'no assertion' };
    const registry = opts.registry();
    try {
      await verifyAssertion(assertion, {
        member: opts.memberId,
        body: Buffer.alloc(0),
        replay: opts.replay,
        gateways: gatewayKeys(registry, trusted),
      });
      return { gateway: 'trusted' };
    } catch (err) {
      if (err instanceof AuthError) return { gateway: 'refused', reason: err.reason };
      return { gateway: 'unknown' };
    }
  };
}

/** The keys of a gateway this member trusts, or undefined for any other gateway. */
function gatewayKeys(registry: Registry, trusted: Set<string> | undefined) {
  return (id: string) => (trusted && !trusted.has(id) ? undefined : registry.gateways.find((g) => g.id === id)?.keys);
}
