/**
 * OpenTelemetry tracing: off by default, on when the standard variables ask for it
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER=otlp;
 * OTEL_SDK_DISABLED=true wins). Spans go to the collector you name, and nowhere else. Imported by
 * the CLI before any HTTP module loads, so incoming and outgoing HTTP (members, via undici) are
 * traced.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter === 'none') return false;
  return exporter === 'otlp' || !!env.OTEL_EXPORTER_OTLP_ENDPOINT || !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
}

let stopTracing: (() => Promise<void>) | undefined;

if (tracingEnabled()) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'infrared',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new HttpInstrumentation({ headersToSpanAttributes: { client: { requestHeaders: [] }, server: { requestHeaders: [] } } }), new UndiciInstrumentation()],
    resourceDetectors: [],
  });
  sdk.start();
  stopTracing = () => sdk.shutdown();
}

/** Flushes and stops tracing (no-op when it is off). */
export function shutdownTracing(): Promise<void> {
  return stopTracing ? stopTracing() : Promise.resolve();
}
