import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder that holds the committed contract files (`member.graphql`). Works from the source
 * tree and from `dist/`, which does not copy .graphql files.
 */
export function schemaDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema', 'member.graphql');
    if (existsSync(candidate)) return join(dir, 'schema');
    if (existsSync(join(dir, 'member.graphql'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('schema/member.graphql not found: run `npm run schema` from the repository root');
}

export const memberSdlPath = (): string => join(schemaDir(), 'member.graphql');
