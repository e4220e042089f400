import canonicalize from 'canonicalize';
import { CompactSign, compactVerify, decodeProtectedHeader, type JWK } from 'jose';
import { ALLOWED_ALGS } from '../auth/errors';
import { algOf, importKey, type PrivateJwk } from '../auth/keys';

export const ATTESTATION_TYP = 'infrared-attestation+jws';

/**
 * Signs a record's public fields: a compact JWS whose payload is the RFC 8785 canonical JSON of
 * the fields, with the member's `kid`, its id (`iss`) and the signing time (`iat`) in the header.
 * A bot that relays the record can prove which member published it.
 */
export async function attest(key: PrivateJwk, memberId: string, fields: Record<string, unknown>, now = Date.now()): Promise<string> {
  const payload = new TextEncoder().encode(canonicalize(fields) ?? '{}');
  return new CompactSign(payload).setProtectedHeader({ alg: algOf(key), kid: key.kid, typ: ATTESTATION_TYP, iss: memberId, iat: Math.floor(now / 1000) }).sign(await importKey(key));
}

export interface VerifiedAttestation {
  member: string;
  kid: string;
  signedAt: Date;
  fields: Record<string, unknown>;
}

export class AttestationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttestationError';
  }
}

/** Checks an attestation's signature against the member's keys listed in the registry. */
export async function verifyAttestation(jws: string, keysOf: (memberId: string) => (JWK & { kid?: string })[] | undefined): Promise<VerifiedAttestation> {
  let header;
  try {
    header = decodeProtectedHeader(jws) as { alg?: string; kid?: string; iss?: string; iat?: number; typ?: string };
  } catch {
    throw new AttestationError('not a compact JWS');
  }
  if (header.typ !== ATTESTATION_TYP || !header.alg || !(ALLOWED_ALGS as readonly string[]).includes(header.alg)) throw new AttestationError('not an InfraRed attestation');
  if (!header.iss || !header.kid) throw new AttestationError('attestation names no member or key');
  const keys = keysOf(header.iss);
  if (!keys) throw new AttestationError(`member "${header.iss}" is not in the registry`);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new AttestationError(`key ${header.kid} is not (or no longer) listed for "${header.iss}"`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, await importKey(jwk), { algorithms: [header.alg] }));
  } catch {
    throw new AttestationError('signature does not verify');
  }
  return { member: header.iss, kid: header.kid, signedAt: new Date((header.iat ?? 0) * 1000), fields: JSON.parse(new TextDecoder().decode(payload)) };
}

/**
 * Compares a record as a client holds it (for example a saved query result) with what was
 * attested. Returns the fields that differ. References (`{ id }`) compare by id, a localised
 * text must be one of the attested translations, and fields the record lacks are not compared.
 */
export function compareWithAttested(record: Record<string, unknown>, attested: Record<string, unknown>): string[] {
  const differing: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attestation' || key === '__typename' || !(key in attested)) continue;
    const expected = attested[key];
    const actual = value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && 'id' in value ? (value as { id: unknown }).id : value;
    if (typeof actual === 'string' && expected && typeof expected === 'object' && !Array.isArray(expected)) {
      if (!Object.values(expected).includes(actual)) differing.push(key);
      continue;
    }
    if (canonicalize(actual) !== canonicalize(expected)) differing.push(key);
  }
  return differing;
}
