import { createServer } from 'node:net';

/** A port the demo needs is taken; `code` is EADDRINUSE like the error `listen` would give. */
export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';
  constructor(
    readonly port: number,
    readonly what: string,
  ) {
    super(
      `port ${port} (${what}) is already in use: stop what runs there, or choose other ports with --port <gateway port> --member-port <first member port>, for example --port 5000 --member-port 5001`,
    );
    this.name = 'PortInUseError';
  }
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Checks, before any work, that every fixed port is free (port 0 means "any" and is skipped).
 * Throws PortInUseError naming the first one taken.
 */
export async function assertPortsFree(ports: { port: number; what: string }[], host = '127.0.0.1'): Promise<void> {
  for (const { port, what } of ports) {
    if (port === 0) continue;
    if (!(await isFree(port, host))) throw new PortInUseError(port, what);
  }
}
