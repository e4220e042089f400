import { createServer } from 'node:http';

/**
 * The floor of the fan-out latency comparison (item 2), member side: a bare node:http server in
 * its own process that reads the request, waits `latencyMs` (the members' simulated latency) and
 * answers a canned JSON body (a real member's answer to the same query, so the bytes match). No
 * GraphQL, no database. Prints `{"url": …}` once listening.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as { body: string; latencyMs: number };
  const body = Buffer.from(config.body);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      }, config.latencyMs),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((err) => {
  process.stdout.write(`bare member failed: ${(err as Error).message}\n`);
  process.exit(1);
});
