import { AuthError } from './errors';

/**
 * What a gateway forwards to every member it asks for a proven caller: the caller's bound token,
 * its proof, and the caller's ORIGINAL request body (the exact text the proof's `bdh` covers), so
 * that each member checks all of it for itself. It travels in the sub-request's JSON body, under
 * `extensions.infraredCallerProof`, which the gateway's assertion (`bh`) covers too. A body,
 * not headers: the original operation can be far larger than a header may be.
 */
export const FORWARDED_PROOF_EXTENSION = 'infraredCallerProof';

export interface ForwardedProof {
  /** The caller's bound token (`Authorization: DPoP <token>`). */
  token: string;
  /** The caller's proof (`DPoP` header). */
  proof: string;
  /** The caller's request body as the gateway received it (UTF-8 text, exact). */
  body: string;
}

/**
 * The forwarded proof in a parsed sub-request body: undefined when there is none; throws
 * AuthError (MALFORMED) when it is there but not three strings.
 */
export function readForwardedProof(body: unknown): ForwardedProof | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const extensions = (body as { extensions?: unknown }).extensions;
  if (!extensions || typeof extensions !== 'object') return undefined;
  const forwarded = (extensions as Record<string, unknown>)[FORWARDED_PROOF_EXTENSION];
  if (forwarded === undefined) return undefined;
  const { token, proof, body: original } = (forwarded ?? {}) as Partial<Record<keyof ForwardedProof, unknown>>;
  if (typeof token !== 'string' || typeof proof !== 'string' || typeof original !== 'string') throw new AuthError('MALFORMED', 'forwarded caller proof is not { token, proof, body }');
  return { token, proof, body: original };
}

/**
 * The caller's original body as text, exactly: refused (MALFORMED) unless it is valid UTF-8,
 * since a member hashes the text it receives and must get the very bytes the caller signed.
 */
export function originalBodyText(raw: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch (err) {
    throw new AuthError('MALFORMED', 'a proven request body must be UTF-8', { cause: err });
  }
}
