import { AuthError } from './errors';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * True when `part` is base64url in its one canonical form: only the URL-safe alphabet, no
 * padding, a length that a whole number of bytes can have, and zero trailing bits, so that
 * decoding and encoding again gives the same text back. Lenient decoders accept several texts
 * for one byte string (a padded one, or one whose last character differs in bits that decoding
 * drops); refusing all but the canonical one keeps one signature to one token text.
 * @example isCanonicalBase64url('AQ') // true; 'AR', 'AQ==', 'A+Q' are not
 */
export function isCanonicalBase64url(part: string): boolean {
  return canonicalBase64urlBytes(part) !== undefined;
}

/**
 * The bytes of `part` when it is canonical base64url (as `isCanonicalBase64url` decides), else
 * undefined: the check decodes anyway, so a caller that needs the bytes decodes once, not twice.
 * @example canonicalBase64urlBytes('AQ') // <Buffer 01>; canonicalBase64urlBytes('AR') // undefined
 */
export function canonicalBase64urlBytes(part: string): Buffer | undefined {
  if (!ALPHABET.test(part) || part.length % 4 === 1) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/**
 * Refuses a compact JWS (a caller token or a gateway assertion) unless it has exactly three
 * parts, each canonical base64url, and a non-empty header and signature.
 */
export function assertCanonicalCompactJws(jws: string, what: 'token' | 'assertion'): void {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[0] === '' || parts[2] === '' || !parts.every(isCanonicalBase64url)) {
    throw new AuthError('NOT_CANONICAL', `${what} is not canonical base64url (padding, foreign characters or non-zero trailing bits)`);
  }
}
