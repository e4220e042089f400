import { createHash, createPublicKey, verify } from 'node:crypto';
import type { ProofCrypto } from './caller-proof';

/**
 * Caller-proof verification with Node's synchronous crypto: the same checks as the WebCrypto
 * default (`verifyCallerProof(…, { crypto: NODE_PROOF_CRYPTO })`), without an asynchronous
 * WebCrypto job per hash and per signature on every request. Server-side only (gateway, members).
 */
export const NODE_PROOF_CRYPTO: ProofCrypto = {
  sha256: (data) => createHash('sha256').update(data).digest('base64url'),
  async es256Verifier(jwk) {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
    return (input, signature) => verify('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, signature);
  },
};
