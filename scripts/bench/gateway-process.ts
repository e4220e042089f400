import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../common/logger';
import { readRegistryVersion } from '../../common/registry/signed-registry';
import { createGateway } from '../../gateway/src/app';
import { limitHeapGrowth } from '../../gateway/src/limits/heap-growth';

/** A benchmark process running one gateway from a registry file and settings given as JSON. */
async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]) as Record<string, unknown>;
  // the harness writes each registry itself: pin the file it wrote, and keep the accepted version
  // in a fresh place, so a rewritten file of an earlier run is never refused as a rollback
  const registryFile = settings.registryFile as string;
  const trust = {
    registryPin: readRegistryVersion(readFileSync(registryFile, 'utf8'), registryFile).hash,
    registryStateFile: join(mkdtempSync(join(tmpdir(), 'infrared-bench-registry-')), 'accepted.json'),
  };
  // rate budgets out of the way: one caller token (and so one issuing member) makes every request
  const budgets = { rateLimitPoints: 1_000_000_000, issuerRateLimitPoints: 1_000_000_000 };
  const gateway = await createGateway({ port: 0, logger: createLogger('bench-gateway', 'error'), ...budgets, ...trust, ...settings } as Parameters<typeof createGateway>[0]);
  limitHeapGrowth(gateway.config.heapGrowthPercent); // as `infrared gateway start` does
  process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`);
  process.on('SIGTERM', async () => {
    await gateway.stop({ drainTimeoutMs: 1000 });
    process.exit(0);
  });
}

main().catch((err) => {
  process.stdout.write(`gateway failed: ${(err as Error).message}\n`);
  process.exit(1);
});
