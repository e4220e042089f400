import { createServer } from 'node:http';

/**
 * The ceiling for a response-cache hit on this machine: a bare `node:http` server that reads the
 * request body and writes one fixed answer (the bytes the cached gateway sends for the benchmark
 * query), with no parsing, lookup or GraphQL. No cache can answer faster than this through the
 * same load generator on the same cores.
 *
 * Run: node dist/scripts/bench/static-answer.js '{"body":"{\"data\":…}"}'
 * Prints `{"url":"http://127.0.0.1:port/graphql"}` once listening.
 */
interface StaticConfig {
  body: string;
  contentType?: string;
}

export async function startStaticAnswer(config: StaticConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const bytes = Buffer.from(config.body);
  const headers = { 'content-type': config.contentType ?? 'application/graphql-response+json; charset=utf-8', 'content-length': String(bytes.length) };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (require.main === module) {
  startStaticAnswer(JSON.parse(process.argv[2]) as StaticConfig).then(
    (server) => {
      process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
      process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
    },
    (err) => {
      process.stdout.write(`static answer server failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
