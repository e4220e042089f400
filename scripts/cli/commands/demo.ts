import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { EmbeddedPostgres } from '../../../subgraphs/member/src/db/embedded';
import { CliError, stopOnSignal } from '../cli-error';
import { repoRoot } from '../repo-root';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Start a whole demo network on this machine: 4 member subgraphs on embedded PostgreSQL, and the gateway.')
    .option('--state <dir>', 'where the demo keeps keys, network.yaml and data', '.infrared/demo')
    .option('--port <port>', 'gateway port', '4000')
    .option('--member-port <port>', 'first member port (members use consecutive ports)', '4001')
    .option('--member-processes', 'run each member as its own `infrared member start` process, so one can be stopped or frozen (kill -STOP <pid>) on its own')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared demo\n  $ infrared demo --port 5000 --member-port 5001\n  $ infrared demo --member-processes\n  $ DATABASE_URL=postgres://postgres@127.0.0.1/infrared infrared demo',
    )
    .action(async (opts: { state: string; port: string; memberPort: string; memberProcesses?: boolean }) => {
      const started = performance.now();
      const log = (line: string) => process.stdout.write(`${line}\n`);
      log('InfraRed demo network: starting… (development mode: stack traces and field suggestions on; `member start` and `gateway start` run in production mode)');
      const dataDir = join(repoRoot(), 'demo');
      const gatewayPort = Number(opts.port);
      const memberBasePort = Number(opts.memberPort);
      // Ports first, before any work; then the embedded database starts (a child process) while
      // this process loads the gateway and subgraph code.
      const { assertPortsFree, PortInUseError } = await import('../../demo/ports');
      const roster = (parse(readFileSync(join(dataDir, 'members.yaml'), 'utf8')) as { id: string }[]).map((m) => m.id);
      try {
        await assertPortsFree([{ port: gatewayPort, what: 'the gateway' }, ...roster.map((id, i) => ({ port: memberBasePort + i, what: `member ${id}` }))]);
      } catch (err) {
        if (err instanceof PortInUseError) throw new CliError(err.message, 1);
        throw err;
      }
      let embedded: Promise<EmbeddedPostgres> | undefined;
      if (!process.env.DATABASE_URL) {
        const { startEmbeddedPostgres } = await import('../../../subgraphs/member/src/db/embedded');
        const { createLogger } = await import('../../../common/logger');
        embedded = startEmbeddedPostgres({ dataDir: join(resolve(opts.state), 'pgdata'), logger: createLogger('demo', process.env.LOG_LEVEL ?? 'warn') });
        embedded.catch(() => undefined); // reported by the demo, which awaits it
      }
      const { startDemoNetwork } = await import('../../demo/demo-network');
      const starting = startDemoNetwork({
        stateDir: opts.state,
        dataDir,
        gatewayPort,
        memberBasePort,
        databaseUrl: process.env.DATABASE_URL,
        embedded,
        log: (line) => log(`  ${line}`),
        memberProcesses: opts.memberProcesses === true,
      }).catch((err: Error) => {
        if (err instanceof PortInUseError) throw new CliError(err.message, 1);
        throw err;
      });
      // From now on a signal stops what has started (member processes included), even mid-start.
      stopOnSignal(async () => {
        const running = await starting.catch(() => undefined);
        await running?.stop();
      }, log);
      const demo = await starting;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const rss = Math.round(process.memoryUsage().rss / 1e6);
      const anyMember = Object.keys(demo.tokens)[0];
      log(`
Ready in ${seconds} s (RSS ${rss} MB).

  Gateway      ${demo.gateway.url}
  Members      ${demo.members.map((m) => `${m.memberId.padEnd(15)} ${m.url}${m.pid ? `  (pid ${m.pid})` : ''}`).join('\n               ')}
  Registry     ${demo.registryFile} (edit it: the gateway reloads without a restart)

Try an anonymous query (PUBLIC data only):
  curl -s ${demo.gateway.url} -H 'content-type: application/json' \\
    -d '{"query":"{ network { name memberCount } members { id name region services { name kind visibility } } }"}'

Tokens (valid 24 h, scopes read write) — with one, you see NETWORK data, and MEMBERS data shared with that member:
${Object.entries(demo.tokens)
  .map(([id, t]) => `  ${id.padEnd(15)} ${t}`)
  .join('\n')}

  curl -s ${demo.gateway.url} -H 'content-type: application/json' -H "authorization: Bearer <token of ${anyMember}>" \\
    -d '{"query":"{ viewer { member { id } scopes } services { id name visibility } }"}'

${
  demo.members[0]?.pid
    ? `Each member is its own process. See partial results: freeze one with  kill -STOP <pid>  (kill -CONT <pid>
resumes it), or stop it with  kill <pid>; the gateway reports it in extensions.members.

`
    : ''
}Ctrl-C stops everything.`);
    });
}
