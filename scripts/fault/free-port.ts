import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback TCP port that was free a moment ago, for a service whose URL must be known before it
 * starts (a private redis-server, a database restarted on the same port).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
