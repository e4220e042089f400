#!/usr/bin/env node
import '../../common/telemetry';
// before any library loads: they choose their development checks from NODE_ENV when they load
import '../../common/library-mode';
import '../../common/tracing';
import { Command } from 'commander';
import { registerCheck } from './commands/check';
import { registerDemo } from './commands/demo';
import { registerGateway } from './commands/gateway';
import { registerKeygen } from './commands/keygen';
import { registerMember } from './commands/member';
import { registerQuery } from './commands/query';
import { registerRegistry } from './commands/registry';
import { registerToken } from './commands/token';
import { registerVerify } from './commands/verify';
import { registerWatch } from './commands/watch';
import { CliError } from './cli-error';
import { invocationDir } from './invocation-dir';
import { versionLine } from './version';

// paths in flags and in the environment are the user's: resolve them where the command was run,
// also under `npm run infrared`, which starts in the package root
process.chdir(invocationDir());

const program = new Command()
  .name('infrared')
  .description('InfraRed network graph: run member subgraphs and the gateway, manage keys and tokens, query the network.')
  .version(versionLine(), '-V, --version', 'print the version (and the network contract version)')
  .showHelpAfterError('(add --help for usage and examples)')
  .addHelpText(
    'after',
    `
Environment:
  INFRARED_GATEWAY_URL  the gateway endpoint for \`query\` and \`watch\` (default http://127.0.0.1:4000/graphql)
  INFRARED_TOKEN        a caller token for \`query\` and \`watch\`
  INFRARED_CALLER_KEY   your private caller key file, for \`query\` with a bound token
  INFRARED_REGISTRY     network.yaml, for \`gateway start\`, \`member start\`, \`token\`, \`member export\` and \`registry status\`
  LOG_LEVEL             log level (default info)
  \`gateway start --help\` and \`member start --help\` list every setting of those services.

Relative paths (flags and environment) are resolved against the directory you run the command
from, also under \`npm run infrared -- …\`.`,
  );

registerDemo(program);
registerMember(program);
registerGateway(program);
registerKeygen(program);
registerToken(program);
registerCheck(program);
registerQuery(program);
registerWatch(program);
registerVerify(program);
registerRegistry(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof CliError || err instanceof TypeError ? err.message : `error: ${(err as Error).message}`;
  process.stderr.write(`${message.startsWith('error') ? message : `error: ${message}`}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
