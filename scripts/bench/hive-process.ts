import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

/** A benchmark process serving a supergraph with Hive Gateway, for a side-by-side comparison. */
async function main(): Promise<void> {
  const { supergraph } = JSON.parse(process.argv[2]) as { supergraph: string };
  const gateway = createGatewayRuntime({ supergraph, logging: false, landingPage: false, graphiql: false });
  const server = createServer(gateway);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` })}\n`);
  process.on('SIGTERM', () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stdout.write(`hive failed: ${(err as Error).message}\n`);
  process.exit(1);
});
