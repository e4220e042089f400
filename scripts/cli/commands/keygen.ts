import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { writeCallerKeyFiles } from '../../../common/auth/caller-key-file';
import { createKeyPair } from '../../../common/auth/keys';
import { MEMBER_ID_PATTERN } from '../../../common/ids';
import { CliError } from '../cli-error';

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('Create an Ed25519 key pair for a member (or a gateway), or with --caller a P-256 caller key for bound tokens. The private key never leaves your machine.')
    .option('--member <id>', 'the member (or gateway) id')
    .option('--caller', 'a caller key (ES256, P-256) for a person or bot: tokens bound to it are usable only with proofs it signs')
    .option('--name <name>', "with --caller: the key files' name", 'caller')
    .requiredOption('--out <dir>', 'directory for the key files')
    .option('--force', 'overwrite an existing private key')
    .addHelpText(
      'after',
      '\nWrites <id>.jwk.json (private, mode 0600), <id>.jwks.json (public) and prints the network.yaml snippet.\nWith --caller: <name>.caller.jwk.json (private, mode 0600) and <name>.caller.pub.json (public), and prints the\npublic JWK and its thumbprint: send the public key to the member that issues your tokens (`infrared token --bind`).\n\nExamples:\n  $ infrared keygen --member kafshata --out ./keys\n  $ infrared keygen --caller --name ana --out ~/.infrared',
    )
    .action(async (flags: { member?: string; caller?: boolean; name: string; out: string; force?: boolean }) => {
      if (flags.caller) {
        if (flags.member) throw new CliError('give either --member (a member key) or --caller (a caller key), not both', 2);
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(flags.name)) throw new CliError(`--name: "${flags.name}" is not a file name (letters, digits, ".", "_" and "-")`, 2);
        let made;
        try {
          made = await writeCallerKeyFiles(flags.out, flags.name, { force: flags.force });
        } catch (err) {
          throw new CliError((err as Error).message, 2);
        }
        process.stdout.write(
          `private caller key: ${made.privateFile} (mode 0600, keep it secret; it signs a proof for every request)\npublic caller key: ${made.publicFile}\nthumbprint (cnf.jkt): ${made.thumbprint}\n\nSend this public key to the member that issues your tokens (infrared token --bind <file or JSON>):\n${JSON.stringify(made.publicJwk)}\n`,
        );
        return;
      }
      if (!flags.member) throw new CliError('give --member <id> (a member key) or --caller (a caller key)', 2);
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
