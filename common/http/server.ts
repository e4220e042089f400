import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { sendGraphQLError } from './send';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, waits for in-flight requests up to `drainMs`, then closes every socket. */
  close(drainMs?: number): Promise<void>;
}

/**
 * Starts a node:http server with a path → handler table. Unknown paths get a 404, and a handler
 * that throws gets a 500 without any internal detail.
 */
export async function startHttpServer(opts: {
  routes: Record<string, RouteHandler>;
  port?: number;
  host?: string;
  logger: Logger;
  /** A handler for paths not in the table (for example the static web UI). */
  fallback?: RouteHandler;
}): Promise<RunningServer> {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    });
    const path = (req.url ?? '/').split('?')[0];
    const handler = opts.routes[path] ?? opts.fallback;
    try {
      if (!handler) return sendGraphQLError(res, 404, 'NOT_FOUND', 'not found');
      await handler(req, res);
    } catch (err) {
      opts.logger.error({ err: { message: (err as Error).message, name: (err as Error).name }, path }, 'request handler failed');
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    async close(drainMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, drainMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
