import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../../schema/version';
import { repoRoot } from './repo-root';

/** `infrared 0.1.0 (network contract 1.0.0, Node.js v22.x)`: what `--version` prints. */
export function versionLine(): string {
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // a copy without package.json still answers --version
  }
  return `infrared ${version} (network contract ${SCHEMA_VERSION}, Node.js ${process.version})`;
}
