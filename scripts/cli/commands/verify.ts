import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadRegistry } from '../../../common/registry/load-registry';
import { AttestationError, compareWithAttested, verifyAttestation } from '../../../common/provenance/attestation';
import { CliError } from '../cli-error';

/** Every object in a JSON value that carries an `attestation`. */
function attestedRecords(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => attestedRecords(v, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.attestation === 'string') out.push(record);
    Object.values(record).forEach((v) => attestedRecords(v, out));
  }
  return out;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Check records signed by members (their `attestation`) against the keys in the registry.')
    .argument('<file>', 'a JSON record with its attestation, or a saved query result')
    .requiredOption('--registry <file>', "network.yaml with the members' keys", process.env.INFRARED_REGISTRY)
    .option('--attestation <jws>', 'the attestation, when the record does not carry it')
    .addHelpText('after', "\nExamples:\n  $ infrared query -e '{ services { id name kind attestation } }' > result.json\n  $ infrared verify result.json --registry network.yaml")
    .action(async (file: string, flags: { registry: string; attestation?: string }) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new CliError(`${file}: not readable JSON (${(err as Error).message})`, 2);
      }
      if (flags.attestation && json && typeof json === 'object') (json as Record<string, unknown>).attestation = flags.attestation;
      const registry = await loadRegistry(flags.registry);
      const keysOf = (id: string) => registry.members.find((m) => m.id === id)?.keys;
      const records = attestedRecords(json);
      if (records.length === 0) throw new CliError(`${file}: no record with an attestation`, 2);
      let failures = 0;
      for (const record of records) {
        const label = String(record.id ?? '(record)');
        try {
          const verified = await verifyAttestation(record.attestation as string, keysOf);
          const differing = compareWithAttested(record, verified.fields);
          if (differing.length) {
            failures++;
            process.stdout.write(`FAIL ${label}: signed by ${verified.member}, but ${differing.join(', ')} differ from what was signed\n`);
          } else {
            process.stdout.write(`ok   ${label}: signed by ${verified.member} (key ${verified.kid.slice(0, 12)}…) at ${verified.signedAt.toISOString()}\n`);
          }
        } catch (err) {
          failures++;
          process.stdout.write(`FAIL ${label}: ${err instanceof AttestationError ? err.message : (err as Error).message}\n`);
        }
      }
      if (failures) throw new CliError(`${failures} of ${records.length} record(s) failed verification`, 1);
    });
}
