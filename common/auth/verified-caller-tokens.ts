import { decodeJwt, decodeProtectedHeader } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../caller';
import { CLOCK_SKEW_S, verifyCallerToken, type IssuerInfo } from './caller-token';

interface Verified {
  caller: Caller;
  iss: string;
  kid: string;
  /** The pinned key that verified the signature, as JSON. */
  key: string;
  jti: string;
  iat: number;
  nbf?: number;
  exp: number;
}

/**
 * Caller tokens already verified, so that a caller who sends the same token with every request
 * pays for its signature once. A token's signature is a fact about its exact text and the key
 * that checked it; everything else is checked again on every use, against the registry of that
 * moment: the issuer is still registered, the same key is still pinned under the same `kid`, the
 * token has not expired and is valid already (`exp`, `nbf`, with the same 60 s of skew), and it
 * has not been revoked (by `jti` or `issuedBefore`). The audience is part of the key. Anything
 * that fails goes through full verification again (which then refuses it with its reason).
 */
export class VerifiedCallerTokens {
  private readonly verified: LRUCache<string, Verified>;

  constructor(
    maxTokens = 4096,
    /** The full verification (signature included); replaceable to count calls in tests. */
    private readonly verifyFully: typeof verifyCallerToken = verifyCallerToken,
  ) {
    this.verified = new LRUCache({ max: maxTokens });
  }

  async verify(token: string, opts: { audience: string; issuer: (memberId: string) => IssuerInfo | undefined; now?: number }): Promise<Caller> {
    const cacheKey = `${opts.audience}\n${token}`;
    const hit = this.verified.get(cacheKey);
    if (hit) {
      if (stillValid(hit, opts)) return { ...hit.caller, scopes: [...hit.caller.scopes] };
      this.verified.delete(cacheKey);
    }
    const caller = await this.verifyFully(token, opts);
    const { kid } = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    const key = opts.issuer(claims.iss as string)?.keys.find((k) => k.kid === kid);
    if (key && typeof kid === 'string') {
      this.verified.set(cacheKey, {
        caller: { ...caller, scopes: [...caller.scopes] },
        iss: claims.iss as string,
        kid,
        key: JSON.stringify(key),
        jti: claims.jti as string,
        iat: claims.iat as number,
        nbf: claims.nbf,
        exp: claims.exp as number,
      });
    }
    return caller;
  }

  get size(): number {
    return this.verified.size;
  }
}

function stillValid(entry: Verified, opts: { issuer: (memberId: string) => IssuerInfo | undefined; now?: number }): boolean {
  const now = Math.floor((opts.now ?? Date.now()) / 1000); // as jose counts it
  if (entry.exp <= now - CLOCK_SKEW_S) return false;
  if (entry.nbf !== undefined && entry.nbf > now + CLOCK_SKEW_S) return false;
  const issuer = opts.issuer(entry.iss);
  if (!issuer) return false;
  const key = issuer.keys.find((k) => k.kid === entry.kid);
  if (!key || JSON.stringify(key) !== entry.key) return false;
  if (issuer.revokedJti.includes(entry.jti)) return false;
  if (issuer.revokedBefore && entry.iat * 1000 < issuer.revokedBefore.getTime()) return false;
  return true;
}
