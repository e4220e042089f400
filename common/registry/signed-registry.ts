import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { base64url, CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { ALLOWED_ALGS } from '../auth/errors';
import { algOf, importKey, type PrivateJwk } from '../auth/keys';
import { parseRegistryDocument } from './load-registry';
import type { PublicJwk, Registry, RegistryMember, RegistrySignature } from './registry.schema';

export const REGISTRY_SIGNATURE_TYP = 'infrared-registry+jws';

/**
 * One version of the registry: its text, the validated registry, the signed content (the
 * document without `signatures`) and that content's hash, `sha256:` + hex of the SHA-256 of its
 * RFC 8785 canonical JSON. The hash names the version: it is what a pin and a signature bind.
 */
export interface RegistryVersion {
  text: string;
  registry: Registry;
  content: Record<string, unknown>;
  hash: string;
}

export function canonicalContent(content: Record<string, unknown>): string {
  return canonicalize(content) ?? '{}';
}

export function contentHash(content: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(canonicalContent(content)).digest('hex')}`;
}

/** Reads a registry version from its text (throws RegistryError when the text is not a valid registry). */
export function readRegistryVersion(text: string, file?: string): RegistryVersion {
  const { registry, content } = parseRegistryDocument(text, file);
  return { text, registry, content, hash: contentHash(content) };
}

/**
 * A member's signature over a registry version: a compact JWS whose payload is the canonical JSON
 * of the content, detached (`header..signature`) so the file does not carry the registry twice.
 * The header names the member (`iss`), its key (`kid`), the version and the content hash, so a
 * reader can tell a stale signature (over another version) from a forged one.
 */
export async function signRegistryVersion(version: RegistryVersion, memberId: string, key: PrivateJwk, now = Date.now()): Promise<RegistrySignature> {
  const jws = await new CompactSign(new TextEncoder().encode(canonicalContent(version.content)))
    .setProtectedHeader({ alg: algOf(key), kid: key.kid, typ: REGISTRY_SIGNATURE_TYP, iss: memberId, ver: version.registry.version, sha: version.hash, iat: Math.floor(now / 1000) })
    .sign(await importKey(key));
  const [header, , signature] = jws.split('.');
  return { member: memberId, jws: `${header}..${signature}` };
}

interface SignatureHeader {
  alg?: string;
  kid?: string;
  typ?: string;
  iss?: string;
  ver?: number;
  sha?: string;
}

const payloads = new WeakMap<RegistryVersion, string>();

/** The base64url of the canonical content, computed once per version (every signature checks the same bytes). */
function encodedPayload(version: RegistryVersion): string {
  let encoded = payloads.get(version);
  if (encoded === undefined) {
    encoded = base64url.encode(canonicalContent(version.content));
    payloads.set(version, encoded);
  }
  return encoded;
}

/** Checks one signature over `version` against `keys`; returns why it does not count, or undefined. */
export async function checkSignature(version: RegistryVersion, signature: RegistrySignature, keys: readonly PublicJwk[]): Promise<string | undefined> {
  let header: SignatureHeader;
  try {
    header = decodeProtectedHeader(signature.jws) as SignatureHeader;
  } catch {
    return 'not a JWS';
  }
  if (header.typ !== REGISTRY_SIGNATURE_TYP || !header.alg || !(ALLOWED_ALGS as readonly string[]).includes(header.alg)) return 'not an InfraRed registry signature';
  if (header.iss !== signature.member) return `the signature names "${String(header.iss)}", not "${signature.member}"`;
  if (header.sha && header.sha !== version.hash) return `stale: it signs another version (version ${String(header.ver)}, ${header.sha.slice(0, 19)}…)`;
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return `key ${String(header.kid)} is not ${signature.member}'s key in the accepted registry`;
  const [protectedHeader, , sig] = signature.jws.split('.');
  const attached = `${protectedHeader}.${encodedPayload(version)}.${sig}`;
  try {
    await compactVerify(attached, await importKey(jwk), { algorithms: [header.alg] });
    return undefined;
  } catch {
    return 'signature does not verify';
  }
}

/** How many signers a version's successor needs: an integer, or a majority of its members. */
export function requiredSigners(registry: Registry): number {
  return registry.threshold === 'majority' ? Math.floor(registry.members.length / 2) + 1 : registry.threshold;
}

export interface SignatureVerdict {
  member: string;
  /** Counted towards the threshold (a member of the accepted version, its accepted key). */
  counted: boolean;
  /** Why it does not count, when it does not. */
  problem?: string;
}

export interface TransitionReport {
  acceptable: boolean;
  /** The candidate is the accepted version itself. */
  unchanged: boolean;
  from: { version: number; hash: string };
  to: { version: number; hash: string };
  needed: number;
  signers: string[];
  signatures: SignatureVerdict[];
  /** Every reason the candidate cannot take effect (empty when acceptable). */
  problems: string[];
  /** The first problem's kind, for metrics: a short, bounded label. */
  reason?: 'not_newer' | 'under_signed' | 'own_entry_unsigned' | 'new_member_unsigned';
}

const keyIds = (m: RegistryMember) => canonicalContent({ keys: m.keys } as Record<string, unknown>);

/** The parts of a member's entry that only the member may change: where it is and which keys are its own. */
function ownEntryChanges(before: RegistryMember, after: RegistryMember): string[] {
  const changes: string[] = [];
  if (before.url !== after.url) changes.push('url');
  if (keyIds(before) !== keyIds(after)) changes.push('keys');
  const stillRevoked = new Set(after.revocations.jti);
  const droppedJti = before.revocations.jti.filter((j) => !stillRevoked.has(j));
  const before_ = before.revocations.issuedBefore?.getTime();
  const after_ = after.revocations.issuedBefore?.getTime();
  if (droppedJti.length || (before_ !== undefined && (after_ === undefined || after_ < before_))) changes.push('revocations removed');
  return changes;
}

/** A registry's content with every member's revocations taken from `revocationsOf`, to compare the rest. */
function withoutRevocations(registry: Registry, revocationsOf: (id: string) => RegistryMember['revocations'] | undefined): string {
  const members = registry.members.map((m) => ({ ...m, revocations: revocationsOf(m.id) ?? m.revocations }));
  return canonicalContent({ ...registry, version: 0, signatures: [], members } as unknown as Record<string, unknown>);
}

/** Only revocations differ, and each changed entry only adds some: the members who revoke more. */
function revokersOnly(accepted: Registry, candidate: Registry): string[] | undefined {
  const before = new Map(accepted.members.map((m) => [m.id, m]));
  if (withoutRevocations(candidate, (id) => before.get(id)?.revocations) !== withoutRevocations(accepted, () => undefined)) return undefined;
  const revokers: string[] = [];
  for (const m of candidate.members) {
    const old = before.get(m.id)!;
    if (canonicalContent({ r: m.revocations } as Record<string, unknown>) === canonicalContent({ r: old.revocations } as Record<string, unknown>)) continue;
    if (ownEntryChanges(old, m).length) return undefined;
    revokers.push(m.id);
  }
  return revokers;
}

/**
 * Whether `candidate` may replace `accepted`. The rules:
 * - its `version` is larger (no rollback to an older or a replayed version);
 * - at least `requiredSigners(accepted)` members of the accepted version signed it, each with a key
 *   the accepted version lists for it (so a change of the threshold needs the old threshold);
 * - a member whose URL or keys change, or whose revocations are dropped, signed it too, with its
 *   accepted key (that is how a key rotates);
 * - a new member signed it with a key of its new entry (nobody is enrolled with keys they do not hold).
 * One exception, so that a stolen token can be revoked at once: a version that only adds
 * revocations to some members' own entries needs only those members' signatures (it can only
 * take trust away, and only from tokens they issued).
 */
export async function checkTransition(accepted: RegistryVersion, candidate: RegistryVersion): Promise<TransitionReport> {
  const report: TransitionReport = {
    acceptable: false,
    unchanged: candidate.hash === accepted.hash,
    from: { version: accepted.registry.version, hash: accepted.hash },
    to: { version: candidate.registry.version, hash: candidate.hash },
    needed: requiredSigners(accepted.registry),
    signers: [],
    signatures: [],
    problems: [],
  };
  if (report.unchanged) {
    report.acceptable = true;
    return report;
  }
  const problem = (reason: NonNullable<TransitionReport['reason']>, message: string) => {
    report.reason ??= reason;
    report.problems.push(message);
  };
  if (candidate.registry.version <= accepted.registry.version) {
    problem('not_newer', `version ${candidate.registry.version} is not newer than the accepted version ${accepted.registry.version}`);
  }
  const before = new Map(accepted.registry.members.map((m) => [m.id, m]));
  const valid = new Set<string>();
  const seen = new Set<string>();
  for (const signature of candidate.registry.signatures) {
    // one signature per member is checked: a file stuffed with signatures costs one check each
    if (seen.has(signature.member)) {
      report.signatures.push({ member: signature.member, counted: false, problem: 'signed more than once: only the first signature is checked' });
      continue;
    }
    seen.add(signature.member);
    const known = before.get(signature.member);
    const newcomer = candidate.registry.members.find((m) => m.id === signature.member);
    const keys = known?.keys ?? newcomer?.keys;
    if (!keys) {
      report.signatures.push({ member: signature.member, counted: false, problem: 'not a member of the accepted registry' });
      continue;
    }
    const why = await checkSignature(candidate, signature, keys);
    if (why) {
      report.signatures.push({ member: signature.member, counted: false, problem: why });
      continue;
    }
    valid.add(signature.member);
    report.signatures.push({
      member: signature.member,
      counted: Boolean(known),
      problem: known ? undefined : 'a new member: its signature proves it holds its keys, it does not count towards the threshold',
    });
  }
  report.signers = [...valid].filter((id) => before.has(id));
  const revokers = revokersOnly(accepted.registry, candidate.registry);
  if (revokers?.length && revokers.every((id) => valid.has(id))) report.needed = 0;
  if (report.signers.length < report.needed) {
    problem('under_signed', `signed by ${report.signers.length} member(s) of the accepted registry${report.signers.length ? ` (${report.signers.join(', ')})` : ''}; ${report.needed} needed`);
  }
  for (const member of candidate.registry.members) {
    const old = before.get(member.id);
    if (!old) {
      if (!valid.has(member.id)) problem('new_member_unsigned', `new member "${member.id}" has not signed with a key of its new entry`);
      continue;
    }
    const changes = ownEntryChanges(old, member);
    if (changes.length && !valid.has(member.id)) problem('own_entry_unsigned', `"${member.id}": ${changes.join(', ')} changed without ${member.id}'s signature with its accepted key`);
  }
  report.acceptable = report.problems.length === 0;
  return report;
}
