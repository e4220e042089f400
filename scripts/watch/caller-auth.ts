import type { JWK } from 'jose';
import { readCallerKeyFile } from '../../common/auth/caller-key-file';
import { checkTokenBinding, isBoundToken, provenRequestHeaders, publicJwkOf } from '../../common/auth/caller-proof-client';

/** How a client calls the gateway: anonymously, with a bearer token, or as a proven caller (a bound token and its key). */
export interface CallerAuth {
  token?: string;
  /** The private caller key a bound token (`cnf.jkt`) is bound to: each request then carries a fresh proof. */
  key?: JWK;
}

/**
 * Reads a caller key file for a bound token and checks, before anything is sent, that the token
 * is bound to that key. Throws an Error whose message names the problem (for `--caller-key`).
 */
export async function loadProvenCaller(keyFile: string, token: string | undefined): Promise<Required<CallerAuth>> {
  if (!token) throw new Error('give the bound token too (--token or INFRARED_TOKEN)');
  const key = readCallerKeyFile(keyFile);
  if (!isBoundToken(token)) throw new Error('the token is not bound to a caller key (no cnf.jkt); drop the caller key, or ask your member for a bound token (infrared token --bind)');
  await checkTokenBinding(token, publicJwkOf({ token, key }));
  return { token, key };
}

/** A bound token without its key is refused by the gateway: say so before connecting. */
export function assertUsableToken(auth: CallerAuth): void {
  if (auth.token && !auth.key && isBoundToken(auth.token)) throw new Error('the token is bound to a caller key (cnf.jkt): give that key with --caller-key or INFRARED_CALLER_KEY');
}

/**
 * The authorization headers of one POST of `body` to `url`: `Authorization: DPoP` and a proof of
 * this very request for a proven caller (a proof is accepted once, so every request and every
 * reconnection signs its own), `Authorization: Bearer` with a token alone, none otherwise.
 */
export async function authorizationHeaders(auth: CallerAuth, request: { url: string; body: string }): Promise<Record<string, string>> {
  if (auth.key) {
    if (!auth.token) throw new Error('a caller key needs its bound token');
    return provenRequestHeaders({ token: auth.token, key: auth.key }, { method: 'POST', url: request.url, body: request.body });
  }
  return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
}
