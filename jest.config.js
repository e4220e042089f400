const { existsSync } = require('node:fs');

/**
 * Jest, in two tiers (Jest projects; `--selectProjects unit` or `integration` runs one):
 * - unit: the `*.test.ts` beside the code (common/, schema/, gateway/src, subgraphs/member/src, scripts/).
 *   Pure: no build, no database, no network, no child process. `npm run test:unit` runs it in seconds.
 *   A test that needs any of those belongs in test/.
 * - integration: test/, with one database for the run (global-setup: the real PostgreSQL in
 *   DATABASE_URL, or an embedded PGlite) and, for the CLI and browser suites, the build in dist/.
 *   Suites that need a part a fresh machine may lack run when that part is there:
 *   - test/replicas needs Redis: REDIS_URL (.ci/run sets it; `redis://127.0.0.1:6379` here);
 *   - test/browser needs Debian chromium at /usr/bin/chromium (.ci/run installs it);
 *   - test/postgres needs a real PostgreSQL (DATABASE_URL, as .ci/run sets): concurrent sessions,
 *     which the embedded single-session PGlite does not have.
 *   global-setup prints which of them run.
 * TypeScript goes through @swc/jest (decorator metadata on); jose (ESM-only) is transformed too.
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['**/*.test.ts'],
  transform,
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};

const integrationIgnored = ['/node_modules/', '/dist/'];
if (!process.env.REDIS_URL) integrationIgnored.push('<rootDir>/test/replicas/');
if (!process.env.DATABASE_URL) integrationIgnored.push('<rootDir>/test/postgres/');
if (!existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium')) integrationIgnored.push('<rootDir>/test/browser/');

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/common', '<rootDir>/schema', '<rootDir>/gateway/src', '<rootDir>/subgraphs/member/src', '<rootDir>/scripts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/unit-tier-guard.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: integrationIgnored,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  // a test network's start (members, migrations, the gateway) in a hook can pass 30 s on a loaded CI machine
  testTimeout: 60000,
  maxWorkers: 2,
};
