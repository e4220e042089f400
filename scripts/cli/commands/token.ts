import type { Command } from 'commander';
import { issueCallerToken, KNOWN_SCOPES } from '../../../common/auth/caller-token';
import { readCallerPublicKey } from '../../../common/auth/caller-key-file';
import { readPrivateJwk } from '../../../common/auth/keys';
import { CliError } from '../cli-error';
import { checkKeyOwner } from '../key-owner';
import { readRegistryOption } from '../read-registry';

/** `90s`, `15m`, `1h`, `7d` → seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!match) throw new CliError(`--ttl: "${text}" is not a duration such as 90s, 15m, 1h or 7d`, 2);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('Issue a caller token (JWT, EdDSA) for one of your people or bots; with --bind, bound to their caller key (cnf.jkt).')
    .requiredOption('--key <file>', "your member's private JWK")
    .requiredOption('--member <id>', "your member id (the token's iss)")
    .requiredOption('--sub <subject>', 'who the token is for: a person or a bot')
    .option('--scope <scopes>', `space-separated: ${KNOWN_SCOPES.join(', ')}`, 'read')
    .option('--ttl <duration>', 'lifetime, at most 30d', '1h')
    .option('--aud <networkId>', 'the network id (default: network.id of the registry, else "infrared")')
    .option('--bind <jwk>', "bind the token to a caller's public key (a file or inline JSON, from `infrared keygen --caller`): usable only with proofs signed by that key")
    .option('--registry <file>', 'network.yaml: refuse a key that is not pinned for --member (env INFRARED_REGISTRY)', process.env.INFRARED_REGISTRY || undefined)
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared token --key keys/kafshata.jwk.json --member kafshata --sub ana --scope "read write" --ttl 1h\n  $ infrared token --key keys/kafshata.jwk.json --member kafshata --sub disk-bot --scope write --ttl 7d --registry network.yaml\n  $ infrared token --key keys/kafshata.jwk.json --member kafshata --sub ana --bind ana.caller.pub.json',
    )
    .action(async (flags: { key: string; member: string; sub: string; scope: string; ttl: string; aud?: string; registry?: string; bind?: string }) => {
      const scopes = flags.scope.split(/\s+/).filter(Boolean);
      const unknown = scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
      if (unknown.length) throw new CliError(`--scope: unknown scope ${unknown.join(', ')} (known: ${KNOWN_SCOPES.join(', ')})`, 2);
      const ttlSeconds = parseTtl(flags.ttl);
      if (ttlSeconds > 30 * 86400) throw new CliError('--ttl: at most 30d (the gateway refuses longer tokens)', 2);
      let key;
      try {
        key = readPrivateJwk(flags.key);
      } catch (err) {
        throw new CliError(`--key: ${(err as Error).message}`, 2);
      }
      let boundTo: string | undefined;
      if (flags.bind !== undefined) {
        try {
          boundTo = (await readCallerPublicKey(flags.bind)).thumbprint;
        } catch (err) {
          throw new CliError(`--bind: ${(err as Error).message}`, 2);
        }
      }
      const registry = flags.registry ? { registry: readRegistryOption(flags.registry), file: flags.registry } : undefined;
      const networkId = registry?.registry.network.id;
      if (flags.aud && networkId && flags.aud !== networkId)
        throw new CliError(`--aud: "${flags.aud}" is not the network id in ${flags.registry} ("${networkId}"); every gateway would refuse the token`, 2);
      const warning = checkKeyOwner(key, flags.key, flags.member, registry);
      if (warning) process.stderr.write(`${warning}\n`);
      const audience = flags.aud ?? networkId ?? 'infrared';
      process.stdout.write(`${await issueCallerToken({ key, member: flags.member, subject: flags.sub, scopes, audience, ttlSeconds, boundTo })}\n`);
    });
}
