import { createServer } from 'node:http';
import { Agent, request } from 'undici';

/**
 * The floor of the fan-out latency comparison (item 2), gateway side: a bare node:http server in
 * its own process that sends each request's body to every member at once (undici, keep-alive),
 * parses each answer and concatenates their root lists into one answer. No GraphQL, no checks:
 * what the process layout and this machine cost at all. Prints `{"url": …}` once listening.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as { members: string[] };
  const agent = new Agent({ keepAliveTimeout: 15_000, connections: 32 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        const answers = await Promise.all(
          config.members.map(async (url) => {
            const r = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
            return (await r.body.json()) as { data: Record<string, unknown[]> };
          }),
        );
        const data: Record<string, unknown[]> = {};
        for (const a of answers) for (const [key, list] of Object.entries(a.data)) (data[key] ??= []).push(...list);
        const out = JSON.stringify({ data });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
        res.end(out);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((err) => {
  process.stdout.write(`bare fan-out failed: ${(err as Error).message}\n`);
  process.exit(1);
});
