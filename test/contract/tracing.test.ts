import { createServer, type Server } from 'node:http';
import { tracingEnabled } from '../../common/tracing';
import { startGatewayCli } from '../support/cli-service';
import { ringMembers } from '../support/fixtures';
import { TestNetwork, post } from '../support/network';

describe('OpenTelemetry tracing', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
  ])('is off by default and follows the standard variables: %j → %s', (env, expected) => {
    expect(tracingEnabled(env as NodeJS.ProcessEnv)).toBe(expected);
  });

  describe('a gateway started with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    let net: TestNetwork;
    let collector: Server;
    const received: { path: string; bytes: number }[] = [];
    beforeAll(async () => {
      net = await TestNetwork.start(ringMembers(['alpha', 'beta']));
      collector = createServer((req, res) => {
        let bytes = 0;
        req.on('data', (c: Buffer) => (bytes += c.length));
        req.on('end', () => {
          received.push({ path: req.url ?? '', bytes });
          res.writeHead(200, { 'content-type': 'application/x-protobuf' });
          res.end();
        });
      });
      await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
    });
    afterAll(async () => {
      collector.close();
      await net.stop();
    });

    it('sends spans to that collector', async () => {
      const endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
      const gateway = await startGatewayCli(net.registryFile, {
        env: { REDIS_URL: '', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'infrared-gateway-test', LOG_LEVEL: 'error' },
      });
      try {
        expect((await post(gateway.url, '{ services { id } }')).status).toBe(200);
        for (let i = 0; i < 50 && !received.some((r) => r.path === '/v1/traces'); i++) await new Promise((r) => setTimeout(r, 100));
        expect(received.find((r) => r.path === '/v1/traces')?.bytes).toBeGreaterThan(0);
      } finally {
        await gateway.stop('SIGKILL');
      }
    });
  });
});
