import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { yamlLocator } from '../yaml-locator';
import { formatIssues } from '../zod-issues';
import { registrySchema, type Registry } from './registry.schema';
import { InfraredError } from '../errors';

export class RegistryError extends InfraredError {
  constructor(readonly problems: string[], readonly file?: string) {
    super('INVALID_REGISTRY', `${file ?? 'registry'}: ${problems.join('; ')}`);
  }
}

/** Parses and validates registry text (YAML or JSON); each problem names its line and column. */
export function parseRegistry(text: string, file?: string): Registry {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  if (doc.errors.length) throw new RegistryError(doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`), file);
  const result = registrySchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {}, { reportInput: true });
  if (!result.success) throw new RegistryError(formatIssues(result.error, yamlLocator(doc, lineCounter)), file);
  return result.data;
}

export async function loadRegistry(file: string): Promise<Registry> {
  return parseRegistry(await readFile(file, 'utf8'), file);
}
