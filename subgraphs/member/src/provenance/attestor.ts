import canonicalize from 'canonicalize';
import type { PrivateJwk } from '../../../../common/auth/keys';
import { attest } from '../../../../common/provenance/attestation';

/** Signs records with the member's key, once per distinct content (bounded cache). */
export class Attestor {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly key: PrivateJwk,
    private readonly memberId: string,
    private readonly maxEntries = 10_000,
  ) {}

  sign(fields: Record<string, unknown>): Promise<string> {
    const cacheKey = canonicalize(fields) ?? '';
    let jws = this.cache.get(cacheKey);
    if (!jws) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      jws = attest(this.key, this.memberId, fields);
      this.cache.set(cacheKey, jws);
    }
    return jws;
  }
}
