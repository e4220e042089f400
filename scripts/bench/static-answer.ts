import { createServer, type ServerResponse } from 'node:http';

/**
 * A bare `node:http` server that reads the request body and writes one fixed answer, with no
 * parsing, lookup, GraphQL or database: the yardstick of two comparisons.
 * - Item 6's ceiling: the bytes the cached gateway sends for the benchmark query, at once. No
 *   cache can answer faster through the same load generator on the same cores.
 * - Item 2's floor (and fanout-phases.ts), member side: a real member's answer to the query (the
 *   same bytes), after `latencyMs`, the members' simulated latency.
 *
 * Run: node dist/scripts/bench/static-answer.js '{"body":"{\"data\":…}","latencyMs":5}'
 * Prints `{"url":"http://127.0.0.1:port/graphql"}` once listening.
 */
interface StaticConfig {
  body: string;
  contentType?: string;
  /** Wait this long before answering (default: answer at once). */
  latencyMs?: number;
}

export async function startStaticAnswer(config: StaticConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const bytes = Buffer.from(config.body);
  const headers = { 'content-type': config.contentType ?? 'application/graphql-response+json; charset=utf-8', 'content-length': String(bytes.length) };
  const answer = (res: ServerResponse) => {
    res.writeHead(200, headers);
    res.end(bytes);
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (config.latencyMs ? setTimeout(answer, config.latencyMs, res) : answer(res)));
  });
  server.keepAliveTimeout = 65_000;
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
