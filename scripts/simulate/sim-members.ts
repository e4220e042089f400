import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { memberSdlPath } from '../../schema/paths';
import { latencySampler, mulberry32 } from './prng';

interface SimConfig {
  count: number;
  seed: number;
  medianLatencyMs: number;
  failureRate: number;
  servicesPerMember: number;
}

/**
 * Many cheap simulated members in one process: each is a real HTTP endpoint that answers the
 * gateway's `services` fan-out and `_entities` requests with records under its own prefix, after
 * a latency drawn from its own seeded distribution, and fails at the configured rate. They stand
 * in for member subgraphs where only the gateway's cost is measured.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as SimConfig;
  const servers: Server[] = [];
  const sdlAnswer = JSON.stringify({ data: { _service: { sdl: readFileSync(memberSdlPath(), 'utf8') } } });
  const members: { id: string; url: string }[] = [];
  for (let i = 0; i < config.count; i++) {
    const id = `sim${String(i).padStart(4, '0')}`;
    const random = mulberry32(config.seed + i);
    const latency = latencySampler(random, config.medianLatencyMs * (0.5 + random()));
    const services = Array.from({ length: config.servicesPerMember }, (_, j) => ({ id: `${id}:svc-${j}`, infrared__id: `${id}:svc-${j}`, name: `Service ${j} of ${id}` }));
    const answer = JSON.stringify({ data: { services } });
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/health' || req.url === '/ready') {
          res.writeHead(200, { 'content-type': 'application/json' });
          // what a current member says: it verifies batch assertions too (it does not verify them here)
          return res.end('{"status":"ok","schemaVersion":"1.0.0","assertionForms":["single","merkle-batch-v1"]}');
        }
        setTimeout(() => {
          if (!body.includes('_service') && random() < config.failureRate) {
            res.writeHead(503, { 'content-type': 'application/json' });
            return res.end('{"errors":[{"message":"simulated failure"}]}');
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(body.includes('_service') ? sdlAnswer : answer);
        }, latency());
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push(server);
    members.push({ id, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` });
  }
  process.stdout.write(`${JSON.stringify({ members })}\n`);
  process.on('SIGTERM', () => {
    for (const s of servers) (s.closeAllConnections(), s.close());
    process.exit(0);
  });
}

main().catch((err) => {
  process.stdout.write(`sim failed: ${(err as Error).message}\n`);
  process.exit(1);
});
