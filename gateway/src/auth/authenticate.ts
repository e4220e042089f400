import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller } from '../../../common/caller';
import { authorizationToken, PROOF_HEADER, verifyCallerProof } from '../../../common/auth/caller-proof';
import { VerifiedCallerTokens } from '../../../common/auth/verified-caller-tokens';
import { AuthError } from '../../../common/auth/errors';
import { originalBodyText, type ForwardedProof } from '../../../common/auth/forwarded-proof';
import { NODE_PROOF_CRYPTO } from '../../../common/auth/node-proof-crypto';
import type { ReplayCache } from '../../../common/auth/replay-cache';
import { issuerFromRegistry } from '../../../common/registry/issuer';
import type { Registry } from '../../../common/registry/registry.schema';

/** Tokens whose signature was checked (callers send the same token with every request). */
const verifiedTokens = new VerifiedCallerTokens();

export interface ProofSettings {
  /** This gateway's public GraphQL endpoints: the `htu` values its callers' proofs may name. */
  endpoints: () => readonly string[];
  /** Proof ids seen by this gateway (shared by its replicas when it is Redis). */
  replay: ReplayCache;
}

export interface Authenticated {
  caller: Caller;
  /** For a proven caller: what the gateway forwards to every member it asks. */
  forward?: ForwardedProof;
}

/**
 * True when `authenticate` answers anonymous without looking further: no token and no proof. A
 * shortcut for anonymous requests only (a response-cache hit) asks this, so it cannot disagree
 * with `authenticate`.
 */
export function isAnonymousRequest(req: IncomingMessage): boolean {
  return !req.headers.authorization && req.headers[PROOF_HEADER] === undefined;
}

/**
 * The caller of a gateway request: anonymous without a token; otherwise the verified token's
 * member, subject and scopes. A token bound to a key (`cnf.jkt`) must come as
 * `Authorization: DPoP <token>` with a valid proof for this very request (`DPoP` header): then
 * the caller is proven, and the token, the proof and the exact body are kept to forward to the
 * members. A bound token as a bearer token, a proof without a bound token, or a bad proof are
 * refused. Throws AuthError (the reason is for the log only).
 */
export async function authenticate(req: IncomingMessage, rawBody: Buffer, registry: Registry, proofs?: ProofSettings): Promise<Authenticated> {
  if (isAnonymousRequest(req)) return { caller: ANONYMOUS };
  const auth = authorizationToken(req.headers.authorization);
  const proof = req.headers[PROOF_HEADER];
  if (!auth) {
    if (proof !== undefined) throw new AuthError('PROOF_REQUIRED', 'a proof without a bound token');
    return { caller: ANONYMOUS };
  }
  const caller = await verifiedTokens.verify(auth.token, { audience: registry.network.id, issuer: (id) => issuerFromRegistry(registry, id) });
  if (auth.scheme === 'Bearer') {
    if (caller.boundKey) throw new AuthError('PROOF_REQUIRED', 'a bound token sent as a bearer token');
    if (proof !== undefined) throw new AuthError('PROOF_REQUIRED', 'a proof with a bearer token');
    return { caller };
  }
  if (!caller.boundKey) throw new AuthError('PROOF_REQUIRED', 'the DPoP scheme with a token that is not bound');
  if (typeof proof !== 'string' || proof.length === 0) throw new AuthError('PROOF_REQUIRED', 'a bound token without a proof');
  if (!proofs) throw new AuthError('PROOF_WRONG_REQUEST', 'this gateway has no public endpoint configured for proven callers');
  if (req.method !== 'POST') throw new AuthError('PROOF_WRONG_REQUEST', 'proven requests are POST requests');
  const body = originalBodyText(rawBody);
  await verifyCallerProof(proof, { jkt: caller.boundKey, token: auth.token, body: rawBody, htm: 'POST', htu: proofs.endpoints(), replay: proofs.replay, crypto: NODE_PROOF_CRYPTO });
  return { caller: { ...caller, proven: true }, forward: { token: auth.token, proof, body } };
}
