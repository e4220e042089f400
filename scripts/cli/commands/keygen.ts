import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { createKeyPair } from '../../../common/auth/keys';
import { MEMBER_ID_PATTERN } from '../../../common/ids';
import { CliError } from '../cli-error';

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('Create an Ed25519 key pair for a member (or a gateway). The private key never leaves your machine.')
    .requiredOption('--member <id>', 'the member (or gateway) id')
    .requiredOption('--out <dir>', 'directory for the key files')
    .option('--force', 'overwrite an existing private key')
    .addHelpText('after', '\nWrites <id>.jwk.json (private, mode 0600), <id>.jwks.json (public) and prints the network.yaml snippet.\n\nExamples:\n  $ infrared keygen --member kafshata --out ./keys')
    .action(async (flags: { member: string; out: string; force?: boolean }) => {
      if (!MEMBER_ID_PATTERN.test(flags.member)) throw new CliError(`--member: "${flags.member}" is not a member id (lowercase letters, digits and "-")`, 2);
      mkdirSync(flags.out, { recursive: true, mode: 0o700 });
      const privateFile = join(flags.out, `${flags.member}.jwk.json`);
      if (existsSync(privateFile) && !flags.force) throw new CliError(`${privateFile} exists; use --force to replace it (tokens signed with it stop working once the registry drops its kid)`, 2);
      const { privateJwk, publicJwk } = await createKeyPair();
      writeFileSync(privateFile, JSON.stringify(privateJwk, null, 2) + '\n', { mode: 0o600 });
      const publicFile = join(flags.out, `${flags.member}.jwks.json`);
      writeFileSync(publicFile, JSON.stringify({ keys: [publicJwk] }, null, 2) + '\n');
      process.stdout.write(
        `private key: ${privateFile} (mode 0600, keep it secret)\npublic JWKS: ${publicFile}\nkid: ${publicJwk.kid}\n\nPaste under your entry's keys: in network.yaml:\n${stringify({ keys: [publicJwk] })}`,
      );
    });
}
