import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface MemberProcessConfig {
  /** The checkout whose build serves the member (default: this one), to compare two versions. */
  root?: string;
  memberId: string;
  databaseUrl: string;
  schema: string;
  /** The registry: gateway keys this member trusts (as `infrared member start --registry`). */
  registryFile?: string;
  keyFile?: string;
  /** Database connections (the shared PostgreSQL has a connection limit). */
  poolMax?: number;
  /** The member's caller policy (default: asserted, what the benchmarks' unbound tokens need). */
  callerPolicy?: 'proven' | 'asserted';
  /** Gateway endpoints accepted in proofs (`htu`). */
  gatewayEndpoints?: string[];
}

/**
 * A benchmark process running one member subgraph exactly as `infrared member start` does
 * (`serveMember`: trust from the registry, assertion checks, the member's own key), from the build
 * of `root`. Its data must be imported already. Prints `{"url": …}` once listening.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as MemberProcessConfig;
  const root = resolve(config.root ?? join(__dirname, '..', '..', '..'));
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { resolveMemberConfig } = require(join(root, 'dist/subgraphs/member/src/config')) as typeof import('../../subgraphs/member/src/config');
  const { serveMember } = require(join(root, 'dist/subgraphs/member/src/serve')) as typeof import('../../subgraphs/member/src/serve');
  const { createLogger } = require(join(root, 'dist/common/logger')) as typeof import('../../common/logger');
  const { openDatabase } = require(join(root, 'dist/subgraphs/member/src/db/orm')) as typeof import('../../subgraphs/member/src/db/orm');
  const logger = createLogger(`bench-member:${config.memberId}`, 'error');
  // Builds with registry trust (pinned versions, rollback protection) start from a pin of the file
  // the harness wrote, and keep the accepted version in a fresh place; older builds know neither.
  const { memberConfigSchema } = require(join(root, 'dist/subgraphs/member/src/config')) as { memberConfigSchema?: { shape?: Record<string, unknown> } };
  const trust =
    config.registryFile && memberConfigSchema?.shape && 'registryPin' in memberConfigSchema.shape
      ? {
          registryPin: (require(join(root, 'dist/common/registry/signed-registry')) as typeof import('../../common/registry/signed-registry')).readRegistryVersion(
            readFileSync(config.registryFile, 'utf8'),
            config.registryFile,
          ).hash,
          registryStateFile: join(mkdtempSync(join(tmpdir(), 'infrared-bench-member-registry-')), 'accepted.json'),
        }
      : {};
  // builds with caller proofs know a caller policy; the benchmarks' callers hold unbound tokens unless they ask
  const policy = memberConfigSchema?.shape && 'callerPolicy' in memberConfigSchema.shape ? { callerPolicy: config.callerPolicy ?? 'asserted', gatewayEndpoints: config.gatewayEndpoints } : {};
  const orm = await openDatabase({ url: config.databaseUrl, schema: config.schema, poolMax: config.poolMax ?? 5 }, logger);
  const member = await serveMember(
    resolveMemberConfig({
      memberId: config.memberId,
      databaseUrl: config.databaseUrl,
      databaseSchema: config.schema,
      port: 0,
      registryFile: config.registryFile,
      keyFile: config.keyFile,
      ...policy,
      ...trust,
    }),
    { logger, orm },
  );
  process.stdout.write(`${JSON.stringify({ url: member.url })}\n`);
  process.on('SIGTERM', async () => {
    await member.stop().catch(() => undefined);
    await orm.close(true).catch(() => undefined);
    process.exit(0);
  });
}

main().catch((err) => {
  process.stdout.write(`member failed: ${(err as Error).message}\n`);
  process.exit(1);
});
