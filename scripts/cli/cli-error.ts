import { shutdownTracing } from '../../common/tracing';
/** A failure the CLI reports as one line (or a short list) and an exit code, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Runs until SIGINT/SIGTERM, then calls stop once and exits. */
export function stopOnSignal(stop: () => Promise<void>, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping…`);
    stop()
      .then(() => shutdownTracing())
      .then(
        () => process.exit(0),
        (err) => {
          log(`error while stopping: ${(err as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}
