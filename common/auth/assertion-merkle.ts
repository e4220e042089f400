import { createHash, hash } from 'node:crypto';
import { canonicalBase64urlBytes } from './canonical-jws';
import { AuthError } from './errors';

/**
 * The Merkle tree of a batch assertion (one gateway signature over the root, a proof per member
 * call). RFC 6962-style domain separation: a leaf is SHA-256(0x00 ‖ bytes), an inner node
 * SHA-256(0x01 ‖ left ‖ right), so no inner node can pass for a leaf. A level with an odd count
 * promotes its last node unchanged (it is never paired with itself).
 */

/** The header that carries a batch assertion's inclusion proof, beside `infrared-assertion`. */
export const ASSERTION_PROOF_HEADER = 'infrared-assertion-proof';
/** The most levels a proof may have (2^24 leaves: far more member calls than one batch makes). */
export const MAX_PROOF_LEVELS = 24;
/** Bytes of a leaf's nonce: 128 random bits, so no member can find another member's leaf. */
export const NONCE_BYTES = 16;
/** The longest proof header accepted: a nonce, the sides and 24 hashes in base64url, and the dots. */
export const MAX_PROOF_CHARS = 22 + 1 + MAX_PROOF_LEVELS + 1 + Math.ceil((MAX_PROOF_LEVELS * 32 * 4) / 3);

/** One step of a proof: the sibling's hash and the side it is on. */
export interface ProofStep {
  side: 'L' | 'R';
  sibling: Buffer;
}

/** A decoded proof: the leaf's nonce (base64url, as in the leaf) and the path to the root. */
export interface InclusionProof {
  nonce: string;
  steps: ProofStep[];
}

/**
 * The leaf of one member call: SHA-256(0x00 ‖ UTF-8 of the JSON array [aud, bh, nonce]). JSON of
 * an array of strings is one exact text per value, so gateway and member compute the same bytes.
 */
export function merkleLeaf(aud: string, bh: string, nonce: string): Buffer {
  return sha256(Buffer.from(`\u0000${JSON.stringify([aud, bh, nonce])}`));
}

/** An inner node: SHA-256(0x01 ‖ left ‖ right), hashed in one call over one buffer. */
function merkleNode(left: Buffer, right: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(65);
  bytes[0] = 1;
  left.copy(bytes, 1);
  right.copy(bytes, 33);
  return sha256(bytes);
}

/** SHA-256 in one call (no Hash object per node): `crypto.hash` where Node has it. */
const sha256: (data: Buffer) => Buffer = typeof hash === 'function' ? (data) => hash('sha256', data, 'buffer') : (data) => createHash('sha256').update(data).digest();

/** The root over `leaves` (at least one) and, for each leaf, its path to the root. */
export function merkleTree(leaves: readonly Buffer[]): { root: Buffer; paths: ProofStep[][] } {
  if (leaves.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  const levels: Buffer[][] = [leaves as Buffer[]];
  for (let level = leaves as Buffer[]; level.length > 1;) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(merkleNode(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    levels.push(next);
    level = next;
  }
  const paths = leaves.map((_, leaf) => {
    const steps: ProofStep[] = [];
    let at = leaf;
    for (let l = 0; l < levels.length - 1; l++, at >>= 1) {
      const level = levels[l];
      const sibling = at ^ 1;
      if (sibling < level.length) steps.push({ side: at % 2 === 0 ? 'R' : 'L', sibling: level[sibling] });
    }
    return steps;
  });
  return { root: levels[levels.length - 1][0], paths };
}

/** Folds a leaf up its path: the root the proof claims. */
export function foldProof(leaf: Buffer, steps: readonly ProofStep[]): Buffer {
  let node = leaf;
  for (const step of steps) node = step.side === 'L' ? merkleNode(step.sibling, node) : merkleNode(node, step.sibling);
  return node;
}

/** `nonce.sides.siblings`: the nonce and the siblings' hashes (concatenated) in base64url, the sides as L/R. */
export function encodeProof(nonce: string, steps: readonly ProofStep[]): string {
  return `${nonce}.${steps.map((s) => s.side).join('')}.${Buffer.concat(steps.map((s) => s.sibling)).toString('base64url')}`;
}

/**
 * Reads a proof header: exactly one text, at most MAX_PROOF_CHARS, a 128-bit nonce and 1 to
 * MAX_PROOF_LEVELS steps of 32-byte hashes, all canonical base64url. Throws MALFORMED otherwise.
 */
export function decodeProof(text: string): InclusionProof {
  const refuse = (why: string) => new AuthError('MALFORMED', `assertion proof refused: ${why}`);
  if (text.length > MAX_PROOF_CHARS) throw refuse('too long');
  const parts = text.split('.');
  if (parts.length !== 3) throw refuse('not nonce.sides.siblings');
  const [nonce, sides, siblings] = parts;
  if (canonicalBase64urlBytes(nonce)?.length !== NONCE_BYTES) throw refuse('the nonce is not 128 bits of canonical base64url');
  if (!/^[LR]+$/.test(sides)) throw refuse('sides are not L or R');
  if (sides.length > MAX_PROOF_LEVELS) throw refuse(`more than ${MAX_PROOF_LEVELS} levels`);
  const bytes = canonicalBase64urlBytes(siblings);
  if (bytes?.length !== sides.length * 32) throw refuse('the siblings are not one 32-byte hash per side');
  const steps: ProofStep[] = [];
  for (let i = 0; i < sides.length; i++) steps.push({ side: sides[i] as 'L' | 'R', sibling: bytes.subarray(i * 32, i * 32 + 32) });
  return { nonce, steps };
}
