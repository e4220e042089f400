import { decodeJwt, type JWK } from 'jose';
import { callerKeyThumbprint, callerPublicJwk, createCallerProof, type CallerSigningKey } from './caller-proof';

/**
 * Client side of caller proofs: what a bot, the CLI or the browser needs to call a gateway with a
 * bound token (`cnf.jkt`). Runs in Node.js and in browsers (WebCrypto only, no `node:` imports).
 *
 * Every request gets a fresh proof over its method, its URL, the token and the exact body bytes
 * sent, so the body must be a string or bytes (never a stream or a form the runtime encodes later).
 */

export interface ProvenCaller {
  /** The bound caller token (a JWT whose `cnf.jkt` is the thumbprint of `key`'s public half). */
  token: string;
  /** The caller's private key: a private P-256 JWK (from `infrared keygen --caller`) or a CryptoKey (browser, non-extractable). */
  key: CallerSigningKey;
  /** The public JWK; needed with a CryptoKey, taken from the private JWK's `x` and `y` otherwise. */
  publicJwk?: JWK;
}

/** The public JWK of a caller key given as a private JWK or as a CryptoKey plus its public JWK. Throws TypeError on a mismatch. */
export function publicJwkOf(caller: ProvenCaller): JWK {
  const key = caller.key as JWK;
  const fromPrivate = typeof key === 'object' && key !== null && 'kty' in key ? key : undefined;
  if (fromPrivate && (fromPrivate.kty !== 'EC' || fromPrivate.crv !== 'P-256' || typeof fromPrivate.d !== 'string')) {
    throw new TypeError('the caller key is not a private P-256 JWK (make one with `infrared keygen --caller`)');
  }
  const given = caller.publicJwk ?? fromPrivate;
  if (!given) throw new TypeError('a CryptoKey caller key needs its publicJwk');
  let jwk: JWK;
  try {
    jwk = callerPublicJwk(given);
  } catch {
    throw new TypeError('the caller public key is not a P-256 JWK');
  }
  if (fromPrivate && (fromPrivate.x !== jwk.x || fromPrivate.y !== jwk.y)) throw new TypeError('publicJwk is not the public half of the private key');
  return jwk;
}

/**
 * Checks, before anything is sent, that the token is bound to this key: a clear error here
 * instead of a generic 401 from the gateway. Reads the token's claims without verifying them
 * (the gateway and the members verify).
 */
export async function checkTokenBinding(token: string, publicJwk: JWK): Promise<void> {
  let cnf: unknown;
  try {
    cnf = decodeJwt(token).cnf;
  } catch {
    throw new TypeError('the caller token is not a JWT');
  }
  const jkt = (cnf as { jkt?: unknown } | undefined)?.jkt;
  if (typeof jkt !== 'string') throw new TypeError('the caller token is not bound to a key (no cnf.jkt): send it as a Bearer token, or ask your member for a bound one (`infrared token --bind`)');
  if (jkt !== (await callerKeyThumbprint(publicJwk))) throw new TypeError('the caller token is bound to another key (its cnf.jkt is not the thumbprint of this caller key)');
}

/** The bytes a proof covers for a fetch body. Only strings and bytes: anything else is encoded later by the runtime, out of the proof's sight. */
function bodyBytes(body: unknown): string | Uint8Array {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('a proven request body must be a string, a Uint8Array or an ArrayBuffer: the proof covers its exact bytes');
}

/**
 * The two headers of one proven request: `authorization: DPoP <token>` and `dpop: <proof>`.
 * @example
 * const body = JSON.stringify({ query: '{ services { id } }' });
 * const headers = await provenRequestHeaders({ token, key }, { method: 'POST', url, body });
 */
export async function provenRequestHeaders(caller: ProvenCaller, request: { method: string; url: string; body: string | Uint8Array }): Promise<{ authorization: string; dpop: string }> {
  const publicJwk = publicJwkOf(caller);
  const proof = await createCallerProof({ key: caller.key, publicJwk, htm: request.method, htu: request.url, token: caller.token, body: request.body });
  return { authorization: `DPoP ${caller.token}`, dpop: proof };
}

export type ProvenFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that sends the bound token as `Authorization: DPoP` and signs a fresh proof for each
 * request (its method, URL, token and the exact body bytes). The first call checks that the token
 * is bound to this key. Give the URL and the init (not a Request: its body is a stream).
 * @example
 * import { createProvenFetch, readCallerKeyFile } from 'infrared-network-graph/client';
 * const provenFetch = createProvenFetch({ token: process.env.INFRARED_TOKEN!, key: readCallerKeyFile('bot.caller.jwk.json') });
 * const res = await provenFetch('https://gw.example/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ services { id } }' }) });
 */
export function createProvenFetch(caller: ProvenCaller & { fetch?: typeof fetch }): ProvenFetch {
  const publicJwk = publicJwkOf(caller);
  const send = caller.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let bound: Promise<void> | undefined;
  return async (url, init = {}) => {
    if (typeof url !== 'string' && !(url instanceof URL)) throw new TypeError('give the request URL and init, not a Request (its body is a stream the proof cannot cover)');
    await (bound ??= checkTokenBinding(caller.token, publicJwk));
    const method = (init.method ?? 'GET').toUpperCase();
    const body = bodyBytes(init.body);
    const headers = new Headers(init.headers);
    const proven = await provenRequestHeaders({ token: caller.token, key: caller.key, publicJwk }, { method, url: String(url), body });
    headers.set('authorization', proven.authorization);
    headers.set('dpop', proven.dpop);
    return send(url, { ...init, method, headers, body: init.body });
  };
}

/** Whether a token carries `cnf` (is bound to a caller key), read without verifying it. False for anything that is not a JWT. */
export function isBoundToken(token: string): boolean {
  try {
    return decodeJwt(token).cnf !== undefined;
  } catch {
    return false;
  }
}
