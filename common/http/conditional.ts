import { createHash } from 'node:crypto';

/** The caching headers of one answer, as the server's policy decides them. */
export interface CachingHeaders {
  'cache-control': string;
  etag?: string;
  vary?: string;
}

/**
 * A weak entity tag for an answer's meaning: the same data gives the same tag even when parts
 * that carry no content (timings in `extensions`) differ. Weak, so it claims equivalence, not
 * byte equality (RFC 9110, 8.8.1).
 *
 * @example
 * weakEtag('{"services":[]}') // 'W/"…43 base64url characters…"'
 */
export function weakEtag(meaning: string): string {
  return `W/"${createHash('sha256').update(meaning).digest('base64url')}"`;
}

/**
 * Whether `If-None-Match` matches a tag, by the weak comparison GET uses (RFC 9110, 13.1.2): `*`,
 * or any listed tag with the same opaque part, weak or not.
 *
 * @example
 * ifNoneMatchHits('W/"a", "b"', 'W/"b"') // true
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
