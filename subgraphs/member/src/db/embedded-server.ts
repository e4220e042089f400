import { startEmbeddedPostgresInProcess } from './embedded';

/**
 * The child process behind startEmbeddedPostgres: prints `{"port":N}` once ready, and shuts
 * PGlite down cleanly (flushing its data directory) on SIGTERM or when its parent goes away.
 */
async function main(): Promise<void> {
  const pg = await startEmbeddedPostgresInProcess({ dataDir: process.argv[2] || undefined, port: Number(process.argv[3] ?? 0) });
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(pg.url).port) })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    pg.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  // the parent holds our stdout: when it dies without stopping us, the pipe breaks
  process.stdout.on('error', stop);
  setInterval(() => {
    if (process.ppid === 1) stop();
  }, 2000).unref();
}

main().catch((err) => {
  process.stdout.write(`${(err as Error).message}\n`);
  process.exit(1);
});
