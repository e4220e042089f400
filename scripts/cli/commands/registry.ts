import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { readPrivateJwk } from '../../../common/auth/keys';
import { MEMBER_ID_PATTERN } from '../../../common/ids';
import { RegistryError } from '../../../common/registry/load-registry';
import { readAcceptedState, RegistryTrustError } from '../../../common/registry/registry-trust';
import { checkSignature, checkTransition, readRegistryVersion, requiredSigners, signRegistryVersion, type RegistryVersion, type TransitionReport } from '../../../common/registry/signed-registry';
import { CliError } from '../cli-error';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
  }
}

function readVersion(file: string, what: string): RegistryVersion {
  try {
    return readRegistryVersion(readText(file, what), file);
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(`${what}: ${err.message}`, 2);
    throw err;
  }
}

/** The accepted version: a registry file, or a service's state file (`<registry>.accepted.json`). */
function readAccepted(file: string): RegistryVersion {
  const text = readText(file, '--accepted');
  if (text.trimStart().startsWith('{') && text.includes('"text"')) {
    try {
      const state = readAcceptedState(file);
      if (state) return state.version;
    } catch (err) {
      if (err instanceof RegistryTrustError) throw new CliError(`--accepted: ${err.message}`, 2);
      throw err;
    }
  }
  return readVersion(file, '--accepted');
}

function printReport(report: TransitionReport, out: (line: string) => void): void {
  out(`accepted: version ${report.from.version} ${report.from.hash}`);
  out(`candidate: version ${report.to.version} ${report.to.hash}`);
  if (report.unchanged) {
    out('the candidate IS the accepted version: nothing to change');
    return;
  }
  out(`threshold: ${report.needed} member(s) of the accepted version`);
  if (!report.signatures.length) out('signatures: none');
  for (const s of report.signatures) out(`  ${s.counted ? 'ok  ' : s.problem?.startsWith('a new member') ? 'new ' : 'FAIL'} ${s.member}${s.problem ? `: ${s.problem}` : ''}`);
  for (const p of report.problems) out(`not acceptable: ${p}`);
  if (report.acceptable) out(`acceptable: signed by ${report.signers.join(', ')}`);
}

/** Writes a YAML document back, keeping its comments and layout. */
function edit(file: string, text: string, change: (doc: ReturnType<typeof parseDocument>) => void, out = file): void {
  const doc = parseDocument(text);
  change(doc);
  writeFileSync(out, doc.toString());
}

export function registerRegistry(program: Command): void {
  const registry = program
    .command('registry')
    .description('Change the registry together: propose a version, sign it with your member key, verify it before it is deployed.')
    .addHelpText(
      'after',
      `
A new registry version takes effect at a gateway or member only when \`threshold\` members of the
version they accepted last signed it; a member whose URL or keys change (or whose revocations are
dropped) signs too, with its current key; a new member signs with its new key.

Examples (a new member joins; three members sign):
  $ infrared registry propose network.next.yaml --accepted network.yaml
  $ infrared registry sign network.next.yaml --member nuevo --key keys/nuevo.jwk.json
  $ infrared registry sign network.next.yaml --member kafshata --key keys/kafshata.jwk.json
  $ infrared registry verify network.next.yaml --accepted network.yaml
  $ infrared registry status --registry /etc/infrared/network.yaml`,
    );

  registry
    .command('propose')
    .description('Turn an edited registry into a candidate: a version number above the accepted one, stale signatures dropped; prints its hash.')
    .argument('<candidate>', 'the edited registry (YAML)')
    .option('--accepted <file>', "the version in force (network.yaml, or a service's network.yaml.accepted.json); without it, a first version")
    .option('--out <file>', 'write the candidate here instead of over <candidate>')
    .addHelpText(
      'after',
      '\nExamples:\n  $ cp network.yaml network.next.yaml && $EDITOR network.next.yaml\n  $ infrared registry propose network.next.yaml --accepted network.yaml\n  $ infrared registry propose network.yaml        # a first version: pin the printed hash',
    )
    .action(async (file: string, flags: { accepted?: string; out?: string }) => {
      const text = readText(file, '<candidate>');
      const draft = readVersion(file, '<candidate>');
      const accepted = flags.accepted ? readAccepted(flags.accepted) : undefined;
      const version = accepted ? Math.max(draft.registry.version, accepted.registry.version + 1) : Math.max(draft.registry.version, 1);
      const withVersion = parseDocument(text);
      withVersion.set('version', version);
      withVersion.delete('signatures');
      const candidate = readRegistryVersion(withVersion.toString(), file);
      // a signature still counts only when it signs exactly this content
      const kept: typeof draft.registry.signatures = [];
      for (const s of draft.registry.signatures) {
        const keys = (accepted?.registry.members.find((m) => m.id === s.member) ?? candidate.registry.members.find((m) => m.id === s.member))?.keys ?? [];
        if (!(await checkSignature(candidate, s, keys))) kept.push(s);
      }
      edit(
        file,
        text,
        (doc) => {
          doc.set('version', version);
          if (kept.length) doc.set('signatures', kept);
          else doc.delete('signatures');
        },
        flags.out ?? file,
      );
      const dropped = draft.registry.signatures.length - kept.length;
      process.stdout.write(
        `${flags.out ?? file}: version ${version}\nhash: ${candidate.hash}\n` +
          (dropped ? `${dropped} signature(s) over another version dropped\n` : '') +
          (accepted
            ? `needs ${requiredSigners(accepted.registry)} signature(s) of members of version ${accepted.registry.version}: \`infrared registry sign ${flags.out ?? file} --member <id> --key <key file>\`\n`
            : `a first version: every gateway and member pins it with INFRARED_REGISTRY_PIN=${candidate.hash}\n`),
      );
    });

  registry
    .command('sign')
    .description('Add your member signature to a candidate (replaces your earlier signature, if any).')
    .argument('<candidate>', 'the proposed registry (YAML); edited in place')
    .requiredOption('--member <id>', 'your member id')
    .requiredOption('--key <file>', 'your private JWK (your CURRENT key, when your own entry changes; your new key when you join)')
    .addHelpText(
      'after',
      '\nRead the candidate (and `infrared registry verify` it) before you sign: your signature says you agree to all of it.\n\nExamples:\n  $ infrared registry sign network.next.yaml --member kafshata --key keys/kafshata.jwk.json',
    )
    .action(async (file: string, flags: { member: string; key: string }) => {
      if (!MEMBER_ID_PATTERN.test(flags.member)) throw new CliError(`--member: "${flags.member}" is not a member id (lowercase letters, digits and "-")`, 2);
      const text = readText(file, '<candidate>');
      const candidate = readVersion(file, '<candidate>');
      let key;
      try {
        key = readPrivateJwk(flags.key);
      } catch (err) {
        throw new CliError(`--key: ${(err as Error).message}`, 2);
      }
      const signature = await signRegistryVersion(candidate, flags.member, key);
      const signatures = [...candidate.registry.signatures.filter((s) => s.member !== flags.member), signature];
      edit(file, text, (doc) => doc.set('signatures', signatures));
      const entry = candidate.registry.members.find((m) => m.id === flags.member);
      const listed = entry?.keys.some((k) => k.kid === key.kid);
      process.stdout.write(`${file}: signed by ${flags.member} (key ${String(key.kid).slice(0, 12)}…), version ${candidate.registry.version} ${candidate.hash}; ${signatures.length} signature(s)\n`);
      if (!entry) process.stderr.write(`warning: ${flags.member} is not a member in ${file}: its signature will not count\n`);
      else if (!listed) process.stderr.write(`warning: key ${key.kid} is not listed for ${flags.member} in ${file}: it counts only if the accepted version lists it\n`);
    });

  registry
    .command('verify')
    .description('Check a candidate against the accepted version: who signed, threshold, own entries, new members. Exits 1 when it would be refused.')
    .argument('<candidate>', 'the proposed registry')
    .requiredOption('--accepted <file>', "the version in force (network.yaml, or a service's network.yaml.accepted.json)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared registry verify network.next.yaml --accepted network.yaml\n  $ infrared registry verify network.next.yaml --accepted /var/lib/infrared/network.yaml.accepted.json',
    )
    .action(async (file: string, flags: { accepted: string }) => {
      const report = await checkTransition(readAccepted(flags.accepted), readVersion(file, '<candidate>'));
      printReport(report, (l) => void process.stdout.write(`${l}\n`));
      if (!report.acceptable) throw new CliError(`${file} would be refused`, 1);
    });

  registry
    .command('status')
    .description('What a gateway or member would do with its registry file now: the accepted version (stored, or pinned) and whether the file takes effect.')
    .option('--registry <file>', 'the registry file the service reads (env INFRARED_REGISTRY)', process.env.INFRARED_REGISTRY || undefined)
    .option('--state <file>', "the service's stored accepted version (env INFRARED_REGISTRY_STATE; default <registry>.accepted.json)", process.env.INFRARED_REGISTRY_STATE || undefined)
    .option('--pin <hash>', 'the pinned first version (env INFRARED_REGISTRY_PIN)', process.env.INFRARED_REGISTRY_PIN || undefined)
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared registry status --registry network.yaml\n  $ INFRARED_REGISTRY=/etc/infrared/network.yaml INFRARED_REGISTRY_STATE=/var/lib/infrared/registry.json infrared registry status',
    )
    .action(async (flags: { registry?: string; state?: string; pin?: string }) => {
      if (!flags.registry) throw new CliError('--registry (or INFRARED_REGISTRY) is required', 2);
      const onFile = readVersion(flags.registry, '--registry');
      const out = (l: string): void => void process.stdout.write(`${l}\n`);
      const stateFile = flags.state ?? `${flags.registry}.accepted.json`;
      let stored;
      try {
        stored = readAcceptedState(stateFile);
      } catch (err) {
        throw new CliError(`--state: ${(err as Error).message}`, 2);
      }
      if (!stored) {
        out(`no accepted version stored (${stateFile})`);
        out(`file: version ${onFile.registry.version} ${onFile.hash}`);
        if (flags.pin === onFile.hash) {
          out('the file is the pinned first version: a service accepts it');
          return;
        }
        if (flags.pin) throw new CliError(`the file is not the pinned first version ${flags.pin}: a service refuses to start`, 1);
        throw new CliError(`no pin: a production service refuses to start; once the members agree this is the first version, set INFRARED_REGISTRY_PIN=${onFile.hash}`, 1);
      }
      out(`stored: ${stateFile} (accepted ${stored.acceptedAt})`);
      const report = await checkTransition(stored.version, onFile);
      printReport(report, out);
      if (!report.acceptable) throw new CliError(`${flags.registry} would be refused; version ${stored.version.registry.version} stays in force`, 1);
    });
}
