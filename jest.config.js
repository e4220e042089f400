const { existsSync } = require('node:fs');

/**
 * Jest: TypeScript through @swc/jest (decorator metadata on), jose (ESM-only) transformed too.
 * Suites that need a part a fresh machine may lack run when that part is there:
 * - test/replicas needs Redis: REDIS_URL (.ci/run sets it; `redis://127.0.0.1:6379` here);
 * - test/browser needs Debian chromium at /usr/bin/chromium (.ci/run installs it);
 * - test/postgres needs a real PostgreSQL (DATABASE_URL, as .ci/run sets): concurrent sessions,
 *   which the embedded single-session PGlite does not have.
 * global-setup prints which of them run.
 */
const ignored = ['/node_modules/', '/dist/'];
if (!process.env.REDIS_URL) ignored.push('<rootDir>/test/replicas/');
if (!process.env.DATABASE_URL) ignored.push('<rootDir>/test/postgres/');
if (!existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium')) ignored.push('<rootDir>/test/browser/');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/common', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ignored,
  transform: {
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
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
