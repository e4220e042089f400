import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { yamlLocator } from '../yaml-locator';
import { formatIssues } from '../zod-issues';
import { registrySchema, type Registry } from './registry.schema';
import { InfraredError } from '../errors';

export class RegistryError extends InfraredError {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super('INVALID_REGISTRY', `${file ?? 'registry'}: ${problems.join('; ')}`);
  }
}

/**
 * A registry file read in full: the validated registry, and the content as written (without its
 * `signatures`), which is what members sign (see signed-registry.ts).
 */
export interface ParsedRegistry {
  registry: Registry;
  content: Record<string, unknown>;
}

/** Parses and validates registry text (YAML or JSON); each problem names its line and column. */
export function parseRegistryDocument(text: string, file?: string): ParsedRegistry {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  if (doc.errors.length)
    throw new RegistryError(
      doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
      file,
    );
  const raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const result = registrySchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new RegistryError(formatIssues(result.error, yamlLocator(doc, lineCounter)), file);
  const { signatures: _signatures, ...content } = raw as Record<string, unknown>;
  return { registry: result.data, content };
}

/** Parses and validates registry text (YAML or JSON); each problem names its line and column. */
export function parseRegistry(text: string, file?: string): Registry {
  return parseRegistryDocument(text, file).registry;
}

export async function loadRegistry(file: string): Promise<Registry> {
  return parseRegistry(await readFile(file, 'utf8'), file);
}
