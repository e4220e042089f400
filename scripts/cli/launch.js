#!/usr/bin/env node
// `npm run infrared`: runs the built CLI. Before the first build it builds the TypeScript once
// (the CLI needs no web bundle), or says what to do. Plain JavaScript: it must run before any build.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'scripts', 'cli', 'infrared.js');
const fail = (message) => {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
};

if (!existsSync(cli)) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) fail('the CLI is not built (dist/ is missing) and TypeScript is not installed: run `npm ci`, then `npm run build`');
  process.stderr.write('the CLI is not built yet (dist/ is missing): building it once with `tsc -p .`…\n');
  const built = spawnSync(process.execPath, [tsc, '-p', root], { stdio: ['ignore', process.stderr, process.stderr] });
  if (built.status !== 0 || !existsSync(cli)) fail('the build failed (see above): fix it, or run `npm run build`, then try again');
}
require(cli);
