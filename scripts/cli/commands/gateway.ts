import type { Command } from 'commander';
import { describeSettings, settingsHelpText } from '../../../common/config-help';
import { ENV as GATEWAY_ENV, gatewayConfigSchema } from '../../../gateway/src/config';
import { GATEWAY_SEMI_SPACE_OPTION, semiSpaceChosen } from '../../../gateway/src/limits/young-generation';
import { stopOnSignal } from '../cli-error';

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('Run a gateway.')
    .command('start')
    .description('Start the gateway: one GraphQL endpoint over every member in the registry.')
    .option('--registry <file>', 'the registry file to watch (env INFRARED_REGISTRY)')
    .option('--port <port>', 'port (env PORT, default 4000)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--id <id>', "this gateway's id, as pinned under gateways: (env INFRARED_GATEWAY_ID)")
    .option('--key <file>', 'private JWK that signs sub-requests (env INFRARED_GATEWAY_KEY)')
    .option('--dev', 'development mode: stack traces and field suggestions in errors (also NODE_ENV=development); production otherwise')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared gateway start --registry network.yaml --id infrared-gw --key gateway.jwk.json\n  $ INFRARED_REGISTRY=/etc/infrared/network.yaml PORT=8080 infrared gateway start',
    )
    .addHelpText(
      'after',
      () => `${settingsHelpText('Environment settings (flags win over them):', describeSettings(gatewayConfigSchema, GATEWAY_ENV))}
Also read: LOG_LEVEL (default info), INFRARED_WEB_DIR (the built web UI, default dist/web), OTEL_* (tracing, off unless set).
What each setting does: README.md, section Configuration.`,
    )
    .action(async (flags: { registry?: string; port?: string; host?: string; id?: string; key?: string; dev?: boolean }) => {
      const { createGateway } = await import('../../../gateway/src/app');
      const { limitHeapGrowth } = await import('../../../gateway/src/limits/heap-growth');
      const gateway = await createGateway({
        registryFile: flags.registry,
        port: flags.port as never,
        host: flags.host,
        gatewayId: flags.id,
        signingKeyFile: flags.key,
        production: flags.dev ? false : undefined,
      });
      // this process is the gateway's alone: bound its heap growth (an embedding program decides for its own process)
      limitHeapGrowth(gateway.config.heapGrowthPercent);
      // the semi-space is fixed when node starts: it can only be named here, not set (before the
      // listening line, so whoever waits for that line has read this one too)
      if (!semiSpaceChosen(process.execArgv, process.env.NODE_OPTIONS)) {
        process.stdout.write(`running with V8's default young generation; NODE_OPTIONS=${GATEWAY_SEMI_SPACE_OPTION} takes less CPU per member call at scale (README, Configuration)\n`);
      }
      process.stdout.write(`gateway listening on ${gateway.url} (${gateway.registry.registry.members.length} members, ${gateway.config.production ? 'production' : 'development'} mode)\n`);
      stopOnSignal(() => gateway.stop({ drainDelayMs: gateway.config.shutdownDelayMs }));
    });
}
