#!/usr/bin/env node
import '../../common/telemetry';
import '../../common/tracing';
import { Command } from 'commander';
import { registerCheck } from './commands/check';
import { registerDemo } from './commands/demo';
import { registerGateway } from './commands/gateway';
import { registerKeygen } from './commands/keygen';
import { registerMember } from './commands/member';
import { registerQuery } from './commands/query';
import { registerToken } from './commands/token';
import { registerVerify } from './commands/verify';
import { CliError } from './cli-error';

const program = new Command()
  .name('infrared')
  .description('InfraRed network graph: run member subgraphs and the gateway, manage keys and tokens, query the network.')
  .showHelpAfterError('(add --help for usage and examples)');

registerDemo(program);
registerMember(program);
registerGateway(program);
registerKeygen(program);
registerToken(program);
registerCheck(program);
registerQuery(program);
registerVerify(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof CliError || err instanceof TypeError ? err.message : `error: ${(err as Error).message}`;
  process.stderr.write(`${message.startsWith('error') ? message : `error: ${message}`}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
