import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { sendGraphQLError, sendJson } from './send';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * How a server goes away. `drainDelayMs`: `/ready` answers 503 at once while everything else is
 * still served (load balancers take the instance out of rotation). Then new requests get 503
 * `SHUTTING_DOWN`, requests in flight get up to `drainTimeoutMs` to finish, the listener closes and
 * every remaining connection is closed. Every answer after the start carries `connection: close`.
 */
export interface ShutdownOptions {
  drainDelayMs?: number;
  drainTimeoutMs?: number;
}

/** `serving` → `draining` (the drain delay: /ready 503, all else served) → `closing` (new requests 503) → `closed`. */
export type ServerPhase = 'serving' | 'draining' | 'closing' | 'closed';

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  phase(): ServerPhase;
  /** Shuts down as described by {@link ShutdownOptions}; defaults: no delay, 10 s for requests in flight. */
  close(opts?: ShutdownOptions): Promise<void>;
}

/** Paths still answered normally while closing: liveness, and readiness (which reports 503 itself). */
const ALWAYS_ANSWERED = new Set(['/health']);

/**
 * Starts a node:http server with a path → handler table. Unknown paths get a 404, and a handler
 * that throws gets a 500 without any internal detail. `readyPath` answers 503 as soon as a
 * shutdown starts, whatever its handler would say.
 */
export async function startHttpServer(opts: {
  routes: Record<string, RouteHandler>;
  port?: number;
  host?: string;
  logger: Logger;
  /** A handler for paths not in the table (for example the static web UI). */
  fallback?: RouteHandler;
  /** The readiness path (default `/ready`). */
  readyPath?: string;
  /** Who is shutting down, in the 503 message (default "the server"). */
  serviceName?: string;
}): Promise<RunningServer> {
  const readyPath = opts.readyPath ?? '/ready';
  const name = opts.serviceName ?? 'the server';
  let phase: ServerPhase = 'serving';
  const inFlight = new Set<ServerResponse>();
  let drained: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0 && drained) drained();
    });
    const path = (req.url ?? '/').split('?')[0];
    if (phase !== 'serving') {
      // Node then ends the connection after this answer: clients reconnect to another instance.
      res.setHeader('connection', 'close');
      if (path === readyPath) return sendJson(res, 503, { status: 'shutting down' });
      if (phase !== 'draining' && !ALWAYS_ANSWERED.has(path)) {
        return sendGraphQLError(res, 503, 'SHUTTING_DOWN', `${name} is shutting down`, { 'retry-after': '1' });
      }
    }
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
  let closing: Promise<void> | undefined;
  const shutdown = async ({ drainDelayMs = 0, drainTimeoutMs = 10_000 }: ShutdownOptions) => {
    phase = 'draining';
    // answers already being prepared end their connection too
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    if (drainDelayMs > 0) {
      opts.logger.info({ drainDelayMs }, 'shutting down: /ready answers 503, still serving during the drain delay');
      await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    }
    phase = 'closing';
    // Idle keep-alive connections would otherwise see their next request refused mid-flight.
    server.closeIdleConnections();
    if (inFlight.size > 0) {
      opts.logger.info({ inFlight: inFlight.size, drainTimeoutMs }, 'shutting down: waiting for requests in flight');
      await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise<void>((resolve) => setTimeout(resolve, drainTimeoutMs).unref())]);
    }
    phase = 'closed';
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    phase: () => phase,
    close(shutdownOptions = {}) {
      closing ??= shutdown(shutdownOptions);
      return closing;
    },
  };
}
