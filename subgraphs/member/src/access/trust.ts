import type { IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import { ANONYMOUS, type Caller } from '../../../../common/caller';
import { ASSERTION_HEADER, bodyHash, verifyAssertion } from '../../../../common/auth/assertion';
import { ASSERTION_PROOF_HEADER } from '../../../../common/auth/assertion-merkle';
import { verifyCallerProof } from '../../../../common/auth/caller-proof';
import { AuthError } from '../../../../common/auth/errors';
import { bearerToken, verifyCallerToken } from '../../../../common/auth/caller-token';
import { readForwardedProof, type ForwardedProof } from '../../../../common/auth/forwarded-proof';
import { VerifiedCallerTokens } from '../../../../common/auth/verified-caller-tokens';
import { NODE_PROOF_CRYPTO } from '../../../../common/auth/node-proof-crypto';
import { PendingReplays, type ReplayCache } from '../../../../common/auth/replay-cache';
import type { PendingChecks } from '../../../../common/http/pending-checks';
import { issuerFromRegistry } from '../../../../common/registry/issuer';
import type { Registry } from '../../../../common/registry/registry.schema';
import type { SubsetCheck } from './subset-check';

/**
 * A member's caller policy. `proven`: NETWORK, MEMBERS and OWNER data, and writes, only for
 * callers proven to this member (a bound token and the caller's own proof for this request,
 * checked here); an asserted caller is answered as anonymous. `asserted`: a trusted gateway's
 * word (or a direct bearer token) suffices, as before. PUBLIC data and anonymous callers are the
 * same under both.
 */
export const CALLER_POLICIES = ['proven', 'asserted'] as const;
export type CallerPolicy = (typeof CALLER_POLICIES)[number];

export interface MemberTrustOptions {
  memberId: string;
  /** The registry in force: gateway keys, and members' keys for direct tokens. */
  registry: () => Registry;
  /** The gateways this member trusts. Default: every gateway listed in the registry. */
  trustedGateways?: string[];
  /** Also accept a caller token sent straight to this subgraph, verified here. */
  acceptDirectTokens?: boolean;
  /** Assertion ids and caller proof ids, each accepted once (this member's own store). */
  replay: ReplayCache;
  /** Default `proven` (the production default for a new member). */
  policy?: CallerPolicy;
  /**
   * Checks that a proven caller's sub-request asks for nothing the caller's operation did not.
   * Without it, a forwarded proof is refused (NOT_A_SUBSET): it cannot be checked.
   */
  subset?: SubsetCheck;
  /**
   * Gateway endpoints (a proof's `htu`) this member accepts, besides the `endpoints` that the
   * registry lists for the gateway that signed the sub-request's assertion.
   */
  gatewayEndpoints?: string[];
  /**
   * Where a sub-request's replay verdict is left to settle while a read executes (the member's
   * HTTP handler holds the answer until it has: `pending` of createApolloHandler). Without it, the
   * resolver waits for the verdict itself.
   */
  pendingChecks?: PendingChecks;
}

/**
 * Who a request to this member is for:
 * - a valid gateway assertion with a forwarded caller proof → the proven caller, after this
 *   member checked the token (its own registry copy), the proof (signature, freshness, one use
 *   here, `htu` an endpoint of the asserting gateway, `bdh` the forwarded original body) and that
 *   the sub-request is a subset of the caller's operation; any failure → 401;
 * - a valid gateway assertion alone → the caller it asserts (under `proven`: anonymous);
 * - an assertion that is present but invalid (wrong key, expired, replayed, body changed) → 401;
 * - no assertion → anonymous (PUBLIC data only), or, when enabled, a caller token verified here
 *   (an asserted caller: under `proven`, anonymous).
 */
export function createCallerResolver(opts: MemberTrustOptions): (req: IncomingMessage, rawBody: Buffer, body?: unknown) => Promise<Caller> {
  const trusted = opts.trustedGateways ? new Set(opts.trustedGateways) : undefined;
  const policy = opts.policy ?? 'proven';
  // a proven caller's token comes with every sub-request: verified once per registry snapshot
  const verifiedTokens = new VerifiedCallerTokens();
  const verifyToken = (token: string, registry: Registry) => verifiedTokens.verify(token, { audience: registry.network.id, issuer: (id) => issuerFromRegistry(registry, id) });
  const withPolicy = (caller: Caller): Caller => (policy === 'proven' && !caller.anonymous && !caller.proven ? { anonymous: true, scopes: [], unproven: true } : caller);
  /** The replay verdict: left to settle before the answer (pendingChecks), or awaited here. */
  const settle = async (req: IncomingMessage, verdict: Promise<void>) => (opts.pendingChecks ? opts.pendingChecks.defer(req, verdict) : verdict);
  return async (req, rawBody, body) => {
    const registry = opts.registry();
    const assertion = req.headers[ASSERTION_HEADER];
    if (typeof assertion === 'string' && assertion.length > 0) {
      const forwarded = readForwardedProof(body ?? parseJson(rawBody));
      // the ids (the assertion's, and a forwarded proof's) are stored together once all else is verified
      const pending = new PendingReplays();
      const asserted = await verifyAssertion(assertion, {
        member: opts.memberId,
        body: rawBody,
        replay: pending,
        gateways: gatewayKeys(registry, trusted),
        proof: proofHeader(req),
      });
      const caller = forwarded
        ? await proveCaller(forwarded, { asserted, gateway: String(decodeJwt(assertion).iss), registry, subRequest: body ?? parseJson(rawBody), verifyToken, replay: pending, opts })
        : withPolicy(asserted);
      await settle(
        req,
        pending.commit(opts.replay).then(([assertionNew, proofNew]) => {
          if (!assertionNew) throw new AuthError('REPLAYED', 'assertion replayed');
          if (proofNew === false) throw new AuthError('REPLAYED', 'proof replayed');
        }),
      );
      return caller;
    }
    if (!opts.acceptDirectTokens) return ANONYMOUS;
    const token = bearerToken(req.headers.authorization);
    if (!token) return ANONYMOUS;
    const direct = await verifyCallerToken(token, {
      audience: registry.network.id,
      issuer: (id) => issuerFromRegistry(registry, id),
    });
    // a bound token is good only with its caller's proof, never as a bearer token
    if (direct.boundKey) throw new AuthError('PROOF_REQUIRED', 'a bound token sent as a bearer token');
    return withPolicy(direct);
  };
}

/** The checks a member makes, itself, on a caller proof a gateway forwarded. */
async function proveCaller(
  forwarded: ForwardedProof,
  ctx: {
    asserted: Caller;
    gateway: string;
    registry: Registry;
    subRequest: unknown;
    verifyToken: (token: string, registry: Registry) => Promise<Caller>;
    replay: ReplayCache;
    opts: MemberTrustOptions;
  },
): Promise<Caller> {
  const { registry, opts } = ctx;
  const caller = await ctx.verifyToken(forwarded.token, registry);
  if (!caller.boundKey) throw new AuthError('PROOF_REQUIRED', 'forwarded caller token is not bound to a key');
  if (ctx.asserted.anonymous || ctx.asserted.member !== caller.member || ctx.asserted.subject !== caller.subject) {
    throw new AuthError('PROOF_WRONG_REQUEST', "the gateway's assertion names another caller than the forwarded token");
  }
  if (!opts.subset) throw new AuthError('NOT_A_SUBSET', 'this member cannot check sub-requests against the caller operation');
  let original: unknown;
  try {
    original = JSON.parse(forwarded.body);
  } catch {
    throw new AuthError('NOT_A_SUBSET', "the caller's original body is not JSON");
  }
  if (!original || typeof original !== 'object' || Array.isArray(original)) throw new AuthError('NOT_A_SUBSET', "the caller's original body is not one GraphQL request");
  const reads = opts.subset.check(ctx.subRequest as object, original as object, opts.memberId);
  const endpoints = [...(registry.gateways.find((g) => g.id === ctx.gateway)?.endpoints ?? []), ...(opts.gatewayEndpoints ?? [])];
  // one caller request may need several sub-requests here (a root fetch, then entity fetches):
  // each distinct read (however it is spelled) is accepted once for this proof
  await verifyCallerProof(forwarded.proof, {
    jkt: caller.boundKey,
    token: forwarded.token,
    body: forwarded.body,
    htm: 'POST',
    htu: endpoints,
    replay: ctx.replay,
    replayScope: bodyHash(reads),
    crypto: NODE_PROOF_CRYPTO,
  });
  return { ...caller, proven: true };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
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
        proof: proofHeader(req),
      });
      return { gateway: 'trusted' };
    } catch (err) {
      if (err instanceof AuthError) return { gateway: 'refused', reason: err.reason };
      return { gateway: 'unknown' };
    }
  };
}

/** A batch assertion's proof header as sent (a repeated header arrives joined, and is refused as malformed). */
function proofHeader(req: IncomingMessage): string | undefined {
  const proof = req.headers[ASSERTION_PROOF_HEADER];
  return Array.isArray(proof) ? proof.join(', ') : proof;
}

/** The keys of a gateway this member trusts, or undefined for any other gateway. */
function gatewayKeys(registry: Registry, trusted: Set<string> | undefined) {
  return (id: string) => (trusted && !trusted.has(id) ? undefined : registry.gateways.find((g) => g.id === id)?.keys);
}
