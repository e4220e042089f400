import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMemberSchema } from '../../subgraphs/member/src/graphql/schema';

/**
 * `npm run schema` writes the member subgraph SDL, generated from code, to schema/member.graphql.
 * `npm run schema -- --check` exits 1 when the committed file differs (CI runs it).
 */
function main(): void {
  const target = join(process.cwd(), 'schema', 'member.graphql');
  const { sdl } = buildMemberSchema();
  const header = '# Generated from subgraphs/member by `npm run schema`. Do not edit: CI fails when it drifts.\n';
  const text = header + sdl;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing counts as drift */
    }
    if (current !== text) {
      console.error('schema/member.graphql is out of date: run `npm run schema` and commit it');
      process.exit(1);
    }
    console.log('schema/member.graphql is up to date');
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}

main();
