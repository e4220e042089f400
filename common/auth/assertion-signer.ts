import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../caller';
import { ASSERTION_TTL_S, ASSERTION_TYP, BATCH_ASSERTION_TYP, bodyHash, callerClaim } from './assertion';
import { algOf, type PrivateJwk } from './keys';

/** Bodies kept with their hash: enough for the bodies of the requests in flight. */
const HASHED_BYTES = 8 * 1024 * 1024;

/**
 * The gateway's assertion signer for sub-requests, built for the fan-out: a call to N members
 * sends the same body N times, and each member needs its own assertion (`aud` = that member, its
 * own `jti`), so that no member can replay what it received to another member. What does not
 * depend on the member is done once:
 * - the private key is imported once, as a node KeyObject, and signs synchronously;
 * - the protected header is encoded once;
 * - the body's SHA-256 is computed once per body (bodies are remembered up to a byte budget).
 * The tokens are the same compact JWS as `signAssertion` makes, verified by `verifyAssertion`.
 */
export class AssertionSigner {
  private readonly key: KeyObject;
  private readonly alg: 'EdDSA' | 'ES256';
  private readonly header: string;
  private readonly batchHeader: string;
  private readonly hashes = new LRUCache<string, string>({ maxSize: HASHED_BYTES, sizeCalculation: (_hash, body) => Math.max(1, body.length) });
  /** Bodies hashed so far (for tests and benchmarks). */
  hashed = 0;

  constructor(
    key: PrivateJwk,
    private readonly gatewayId: string,
  ) {
    this.alg = algOf(key);
    this.key = createPrivateKey({ key: key as never, format: 'jwk' });
    this.header = b64(JSON.stringify({ alg: this.alg, kid: key.kid, typ: ASSERTION_TYP }));
    this.batchHeader = b64(JSON.stringify({ alg: this.alg, kid: key.kid, typ: BATCH_ASSERTION_TYP }));
  }

  /** The assertion for one sub-request: this caller, this member, these exact bytes. */
  sign(opts: { member: string; caller: Caller; body: string; now?: number }): string {
    return this.signWithHash({ member: opts.member, caller: opts.caller, bh: this.hashOf(opts.body), now: opts.now });
  }

  /** `sign` for a body whose hash (`hashOf`) is already known. */
  signWithHash(opts: { member: string; caller: Caller; bh: string; now?: number }): string {
    const now = Math.floor((opts.now ?? Date.now()) / 1000);
    const payload = { caller: callerClaim(opts.caller), bh: opts.bh, iss: this.gatewayId, aud: opts.member, iat: now, exp: now + ASSERTION_TTL_S, jti: randomUUID() };
    return this.signed(this.header, payload);
  }

  /**
   * The batch assertion over a Merkle root (`mr`, base64url): this caller, no audience and no body
   * hash (each member call's leaf binds those, see assertion-merkle.ts and assertion-batch.ts).
   */
  signRoot(opts: { caller: Caller; root: string; now?: number }): string {
    const now = Math.floor((opts.now ?? Date.now()) / 1000);
    return this.signed(this.batchHeader, { caller: callerClaim(opts.caller), mr: opts.root, iss: this.gatewayId, iat: now, exp: now + ASSERTION_TTL_S, jti: randomUUID() });
  }

  private signed(header: string, payload: object): string {
    const input = `${header}.${b64(JSON.stringify(payload))}`;
    const signature = this.alg === 'EdDSA' ? sign(null, Buffer.from(input), this.key) : sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }

  /** The body's base64url SHA-256 (remembered for the bodies of the requests in flight). */
  hashOf(body: string): string {
    let hash = this.hashes.get(body);
    if (hash === undefined) {
      hash = bodyHash(body);
      this.hashed++;
      if (body.length <= HASHED_BYTES / 8) this.hashes.set(body, hash);
    }
    return hash;
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}
