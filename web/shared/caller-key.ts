import { decodeJwt, type JWK } from 'jose';
import { createCallerKeyPair, type CallerKeyPair } from '../../common/auth/caller-proof';
import { createProvenFetch } from '../../common/auth/caller-proof-client';

/**
 * This browser's caller key: an ES256 (P-256) key pair made with WebCrypto on first use, its
 * private half NON-extractable (no script, this one included, can read it out; it can only sign).
 * The CryptoKey itself is kept in this origin's IndexedDB, so the key survives reloads and
 * restarts, and its public JWK and thumbprint can be sent to the member that issues tokens
 * (`infrared token --bind`). A token bound to it (`cnf.jkt`) is useless without this browser.
 */
const DB_NAME = 'infrared';
const STORE = 'caller-key';
const ENTRY = 'default';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

async function readStored(db: IDBDatabase): Promise<CallerKeyPair | undefined> {
  const stored = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(ENTRY))) as CallerKeyPair | undefined;
  return stored && stored.privateKey instanceof CryptoKey && stored.privateKey.extractable === false ? stored : undefined;
}

/** Stores `pair` unless another tab stored one first (`add` fails then): the stored key wins. */
async function storeOnce(db: IDBDatabase, pair: CallerKeyPair): Promise<CallerKeyPair> {
  try {
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).add(pair, ENTRY));
    return pair;
  } catch {
    const stored = await readStored(db);
    if (!stored) throw new Error('the caller key could not be stored in IndexedDB');
    return stored;
  }
}

let current: Promise<CallerKeyPair> | undefined;

/** This browser's caller key, made and stored on first use. Rejects where IndexedDB or WebCrypto is unavailable (a private window may refuse IndexedDB). */
export function callerKey(): Promise<CallerKeyPair> {
  current ??= (async () => {
    const db = await openDatabase();
    try {
      return (await readStored(db)) ?? (await storeOnce(db, await createCallerKeyPair({ extractable: false })));
    } finally {
      db.close();
    }
  })().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** The `cnf.jkt` of a token (read without verifying it: the gateway and the members verify), or undefined for an unbound token or a non-JWT. */
export function boundThumbprint(token: string): string | undefined {
  try {
    const jkt = (decodeJwt(token).cnf as { jkt?: unknown } | undefined)?.jkt;
    return typeof jkt === 'string' ? jkt : undefined;
  } catch {
    return undefined;
  }
}

export type GatewayFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The fetch for calls with `token`: for a token bound to this browser's key, a fetch that sends it
 * as `Authorization: DPoP` with a fresh proof over each request (method, absolute URL, token, exact
 * body); for an unbound token, a fetch that sends it as a Bearer token, as before. A token bound to
 * another key is sent as it is (Bearer) and the gateway refuses it.
 */
export async function fetchWithToken(token: string): Promise<GatewayFetch> {
  const jkt = boundThumbprint(token);
  const key = jkt ? await callerKey().catch(() => undefined) : undefined;
  if (key && jkt === key.thumbprint) {
    const proven = createProvenFetch({ token, key: key.privateKey, publicJwk: key.publicJwk });
    // the proof names the absolute URL the gateway lists among its public endpoints
    return (url, init) => proven(new URL(url, location.href).href, init);
  }
  return (url, init) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
}

/** The public JWK as one line of JSON, as `infrared token --bind` takes it. */
export function publicJwkText(jwk: JWK): string {
  return JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
}
