import { readFileSync } from 'node:fs';
import { parseRegistry, RegistryError } from '../../common/registry/load-registry';
import type { Registry } from '../../common/registry/registry.schema';
import { CliError } from './cli-error';

/** Reads and validates a registry named by `--registry`; a problem is a usage error (exit 2). */
export function readRegistryOption(file: string): Registry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--registry: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
  }
  try {
    return parseRegistry(text, file);
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(`--registry: ${err.message}`, 2);
    throw err;
  }
}
