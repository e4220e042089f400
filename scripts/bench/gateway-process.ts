import { createLogger } from '../../common/logger';
import { createGateway } from '../../gateway/src/app';

/** A benchmark process running one gateway from a registry file and settings given as JSON. */
async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]) as Record<string, unknown>;
  const gateway = await createGateway({ port: 0, logger: createLogger('bench-gateway', 'error'), rateLimitPoints: 1_000_000_000, ...settings });
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
