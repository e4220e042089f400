import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../caller';
import { ASSERTION_TTL_S, bodyHash } from './assertion';
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
  private readonly hashes = new LRUCache<string, string>({ maxSize: HASHED_BYTES, sizeCalculation: (_hash, body) => Math.max(1, body.length) });
  /** Bodies hashed so far (for tests and benchmarks). */
  hashed = 0;

  constructor(
    key: PrivateJwk,
    private readonly gatewayId: string,
  ) {
    this.alg = algOf(key);
    this.key = createPrivateKey({ key: key as never, format: 'jwk' });
    this.header = b64(JSON.stringify({ alg: this.alg, kid: key.kid, typ: 'infrared-assertion+jwt' }));
  }

  /** The assertion for one sub-request: this caller, this member, these exact bytes. */
  sign(opts: { member: string; caller: Caller; body: string; now?: number }): string {
    const now = Math.floor((opts.now ?? Date.now()) / 1000);
    const caller = opts.caller.anonymous ? { anonymous: true } : { member: opts.caller.member, sub: opts.caller.subject, scopes: opts.caller.scopes };
    const payload = { caller, bh: this.hashOf(opts.body), iss: this.gatewayId, aud: opts.member, iat: now, exp: now + ASSERTION_TTL_S, jti: randomUUID() };
    const input = `${this.header}.${b64(JSON.stringify(payload))}`;
    const signature = this.alg === 'EdDSA' ? sign(null, Buffer.from(input), this.key) : sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }

  private hashOf(body: string): string {
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
