import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PrivateJwk } from '../../common/auth/keys';
import type { Registry } from '../../common/registry/registry.schema';
import { CliError } from './cli-error';

/**
 * Refuses to sign for `member` with a key that is not the member's, since every gateway would
 * refuse the token. With a registry: the key's kid (and public half) must be pinned under the
 * member's entry. Without one: the key file's member, from the names `infrared keygen` writes
 * (`<member>.jwk.json`, and the `<member>.jwks.json` beside it). Returns a warning when neither
 * can tell.
 */
export function checkKeyOwner(key: PrivateJwk, keyFile: string, member: string, registry?: { registry: Registry; file: string }): string | undefined {
  const refuse = (why: string) => new CliError(`--key: ${why}; every gateway would refuse the token`, 2);
  if (registry) {
    const entry = registry.registry.members.find((m) => m.id === member);
    if (!entry) throw new CliError(`--member: "${member}" is not a member in ${registry.file}; every gateway would refuse the token`, 2);
    const pinned = entry.keys.find((k) => k.kid === key.kid);
    if (!pinned) throw refuse(`${keyFile} (kid ${key.kid}) is not one of ${member}'s keys in ${registry.file}`);
    if (pinned.x !== key.x || pinned.crv !== key.crv || (pinned.y ?? undefined) !== (key.y ?? undefined))
      throw refuse(`${keyFile} has the kid ${key.kid} of a key pinned for ${member}, but it is a different key`);
    return undefined;
  }
  const named = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.jwk\.json$/.exec(basename(keyFile))?.[1];
  if (named && named !== member) throw refuse(`${keyFile} is the key of "${named}" (by its name), not of "${member}"`);
  const publicFile = join(dirname(keyFile), `${named ?? member}.jwks.json`);
  if (named && existsSync(publicFile)) {
    let kids: string[] = [];
    try {
      kids = (JSON.parse(readFileSync(publicFile, 'utf8')) as { keys?: { kid?: string }[] }).keys?.map((k) => String(k.kid)) ?? [];
    } catch {
      return `warning: cannot read ${publicFile}; give --registry (or INFRARED_REGISTRY) to check the key against ${member}'s pinned keys`;
    }
    if (!kids.includes(key.kid)) throw refuse(`the kid of ${keyFile} (${key.kid}) is not in ${publicFile}`);
    return undefined;
  }
  if (named) return undefined;
  return `warning: cannot tell whether ${keyFile} is ${member}'s key; give --registry (or INFRARED_REGISTRY) to check it against the pinned keys`;
}
