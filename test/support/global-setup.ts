import { existsSync } from 'node:fs';
import { startEmbeddedPostgresInProcess } from '../../subgraphs/member/src/db/embedded';

/**
 * One database for the whole run: the real PostgreSQL in DATABASE_URL (as CI does), or one
 * embedded PostgreSQL (PGlite) started here, in Jest's main process, and shared by all workers.
 * Each test file gets its own schemas, so files never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const chromium = existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium');
  process.stdout.write(
    `\n[test] Redis replica suite: ${process.env.REDIS_URL ? `on (${process.env.REDIS_URL})` : 'not run (set REDIS_URL, as .ci/run does)'}; ` +
      `browser suite: ${chromium ? 'on' : 'not run (install Debian chromium, as .ci/run does)'}; ` +
      `real-PostgreSQL suite: ${process.env.DATABASE_URL ? 'on' : 'not run (set DATABASE_URL, as .ci/run does)'}\n`,
  );
  // Only the replica suite talks to Redis, through its own variable: a REDIS_URL in the
  // environment must not make every gateway in other suites share rate limits and caches.
  if (process.env.REDIS_URL) {
    process.env.INFRARED_TEST_REDIS_URL = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
  }
  // The suites' networks rewrite their registries freely, unsigned; the signed-registry suites
  // (test/security/signed-registry*.test.ts) turn signatures on for their own services. A
  // production service honours "off" only under a test runner (NODE_ENV=test) or in development.
  process.env.INFRARED_REGISTRY_SIGNATURES ??= 'off';
  if (process.env.DATABASE_URL) {
    process.env.INFRARED_TEST_DATABASE_URL = process.env.DATABASE_URL;
    process.stdout.write(`\n[test] using PostgreSQL at DATABASE_URL\n`);
    return;
  }
  const embedded = await startEmbeddedPostgresInProcess({});
  (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres = embedded;
  process.env.INFRARED_TEST_DATABASE_URL = embedded.url;
  process.stdout.write(`\n[test] using embedded PostgreSQL (PGlite) at ${embedded.url}\n`);
}
