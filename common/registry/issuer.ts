import type { IssuerInfo } from '../auth/caller-token';
import type { Registry } from './registry.schema';

/** What the registry says about a token issuer: its pinned keys and its revocations. */
export function issuerFromRegistry(registry: Registry, memberId: string): IssuerInfo | undefined {
  const member = registry.members.find((m) => m.id === memberId);
  if (!member) return undefined;
  return { keys: member.keys, revokedJti: member.revocations.jti, revokedBefore: member.revocations.issuedBefore };
}
