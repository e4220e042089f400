import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { memberSdlPath } from '../../schema/paths';
import { SCHEMA_VERSION } from '../../schema/version';

/**
 * A member whose `/health` answer never ends: 200, then body chunks for as long as the connection
 * stays open. Its GraphQL endpoint answers well (the contract SDL, empty lists), so only an
 * unbounded health read can hurt the gateway.
 */
export async function endlessHealthMember(): Promise<{ url: string; close(): Promise<void> }> {
  const sdl = readFileSync(memberSdlPath(), 'utf8');
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"status":"ok","schemaVersion":"${SCHEMA_VERSION}","padding":"`);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const text = Buffer.concat(body).toString('utf8');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(text.includes('_service') ? { data: { _service: { sdl } } } : { data: { services: [], projects: [], capacity: [], incidents: [] } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
