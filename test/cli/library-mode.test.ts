/**
 * The built CLI states production mode for the libraries before any of them loads
 * (common/library-mode.ts): graphql-js then skips its development checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from '../support/cli';

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);

/** What graphql's `instanceOf` is in a process that loads the CLI's first modules, then graphql. */
function graphqlMode(env: Record<string, string>, extraArgs: string[] = []): { nodeEnv: string; devChecks: boolean } {
  const script = [
    `require(${JSON.stringify(join(ROOT, 'dist/common/telemetry.js'))});`,
    `require(${JSON.stringify(join(ROOT, 'dist/common/library-mode.js'))});`,
    `const { instanceOf } = require('graphql/jsutils/instanceOf');`,
    // the development version compares class names when instanceof fails
    `process.stdout.write(JSON.stringify({ nodeEnv: String(process.env.NODE_ENV), devChecks: instanceOf.toString().includes('toStringTag') }));`,
  ].join('\n');
  const out = spawnSync(process.execPath, ['-e', script, '--', ...extraArgs], { cwd: ROOT, env: { ...process.env, NODE_ENV: '', ...env }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as { nodeEnv: string; devChecks: boolean };
}

describe('library mode of the CLI', () => {
  it('loads graphql without its development checks when NODE_ENV is unset', () => {
    expect(graphqlMode({})).toEqual({ nodeEnv: 'production', devChecks: false });
  });

  it('keeps NODE_ENV=development, and --dev, as development for the libraries', () => {
    expect(graphqlMode({ NODE_ENV: 'development' })).toEqual({ nodeEnv: 'development', devChecks: true });
    expect(graphqlMode({}, ['--dev'])).toEqual({ nodeEnv: '', devChecks: true });
  });

  it('is the CLI’s first import after telemetry, before any package', () => {
    const requires = [...readFileSync(CLI, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires.slice(0, 2)).toEqual(['../../common/telemetry', '../../common/library-mode']);
  });
});
