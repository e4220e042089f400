import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describeSettings, settingsHelpText } from '../../../common/config-help';
import { ENV as MEMBER_ENV, memberConfigSchema, resolveMemberConfig } from '../../../subgraphs/member/src/config';
import { CliError, stopOnSignal } from '../cli-error';
import { readRegistryOption } from '../read-registry';

interface MemberFlags {
  member?: string;
  databaseUrl?: string;
  schema?: string;
  dataDir?: string;
  port?: string;
  host?: string;
  registry?: string;
  languages?: string;
  key?: string;
  acceptDirectTokens?: boolean;
  callerPolicy?: string;
  dev?: boolean;
}

function memberOptions(cmd: Command): Command {
  return cmd
    .option('--member <id>', "this member's id (env INFRARED_MEMBER_ID)")
    .option('--database-url <url>', 'a real PostgreSQL (env DATABASE_URL); without it, embedded PostgreSQL is used')
    .option('--schema <name>', "PostgreSQL schema for this member's tables (env DATABASE_SCHEMA)", undefined)
    .option('--data-dir <dir>', 'embedded database directory (env INFRARED_DATA_DIR)');
}

function config(flags: MemberFlags) {
  return resolveMemberConfig({
    memberId: flags.member,
    databaseUrl: flags.databaseUrl,
    databaseSchema: flags.schema,
    dataDir: flags.dataDir,
    port: flags.port,
    host: flags.host,
    registryFile: flags.registry,
    languages: flags.languages,
    keyFile: flags.key,
    acceptDirectTokens: flags.acceptDirectTokens,
    callerPolicy: flags.callerPolicy,
    production: flags.dev ? false : undefined,
  });
}

export function registerMember(program: Command): void {
  const member = program.command('member').description('Run and feed your member subgraph.');

  memberOptions(member.command('start'))
    .description("Start this member's subgraph.")
    .option('--port <port>', 'port (env PORT)', undefined)
    .option('--host <host>', 'address to listen on (env HOST)', undefined)
    .option('--registry <file>', 'network.yaml: gateway keys to trust (env INFRARED_REGISTRY)')
    .option('--languages <tags>', 'comma-separated BCP 47 tags, first = fallback (env INFRARED_MEMBER_LANGUAGES)')
    .option('--key <file>', "this member's private JWK (env INFRARED_MEMBER_KEY)")
    .option('--accept-direct-tokens', 'also accept caller tokens sent straight to this subgraph')
    .option('--caller-policy <policy>', 'proven (default: NETWORK+ data and writes only for proven callers) or asserted (env INFRARED_CALLER_POLICY)')
    .option('--dev', 'development mode: field suggestions in errors (also NODE_ENV=development); production otherwise')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared member start --member kafshata --registry network.yaml --port 4001\n  $ DATABASE_URL=postgres://infrared@db/infrared infrared member start --member kafshata --registry network.yaml',
    )
    .addHelpText(
      'after',
      () => `${settingsHelpText('Environment settings (flags win over them):', describeSettings(memberConfigSchema, MEMBER_ENV))}
Also read: LOG_LEVEL (default info), OTEL_* (tracing, off unless set).
What each setting does: README.md, section Configuration.`,
    )
    .action(async (flags: MemberFlags) => {
      const { serveMember } = await import('../../../subgraphs/member/src/serve');
      const settings = config(flags);
      const running = await serveMember(settings);
      process.stdout.write(`member ${running.memberId} listening on ${running.url} (${settings.production ? 'production' : 'development'} mode, caller policy ${settings.callerPolicy})\n`);
      stopOnSignal(() => running.stop({ drainDelayMs: settings.shutdownDelayMs }));
    });

  memberOptions(member.command('export'))
    .description("Write the member's data as a member data file (YAML), or its incidents as MISP events (JSON).")
    .option('--misp', 'export incidents as MISP JSON events (attributes per indicator, TLP tags)')
    .option('--max-visibility <level>', 'with --misp: the most private level to include (PUBLIC, NETWORK, MEMBERS, OWNER)', 'NETWORK')
    .option('--network <id>', 'with --misp: the network id, namespace of the stable event UUIDs (default: network.id of --registry / INFRARED_REGISTRY, else "infrared")')
    .option('--registry <file>', 'network.yaml, for the network id (env INFRARED_REGISTRY)')
    .addHelpText('after', '\nExamples:\n  $ infrared member export --member kafshata > kafshata.yaml\n  $ infrared member export --member kafshata --misp > kafshata-misp.json')
    .action(async (flags: MemberFlags & { misp?: boolean; maxVisibility: string; network?: string }) => {
      const { createLogger } = await import('../../../common/logger');
      const { connectMemberDatabase } = await import('../../../subgraphs/member/src/serve');
      const { exportMemberData, exportMisp, toYaml } = await import('../../../subgraphs/member/src/import/export-member-data');
      const settings = config(flags);
      if (!['PUBLIC', 'NETWORK', 'MEMBERS', 'OWNER'].includes(flags.maxVisibility)) throw new CliError(`--max-visibility: "${flags.maxVisibility}" is not one of PUBLIC, NETWORK, MEMBERS, OWNER`, 2);
      const networkId = flags.misp ? (flags.network ?? (settings.registryFile ? readRegistryOption(settings.registryFile).network.id : 'infrared')) : undefined;
      const { orm, embedded } = await connectMemberDatabase(settings, createLogger(`member:${settings.memberId}`, 'warn'));
      try {
        if (flags.misp) process.stdout.write(`${JSON.stringify(await exportMisp(orm, settings.memberId, { networkId, maxVisibility: flags.maxVisibility as never }), null, 2)}\n`);
        else process.stdout.write(toYaml(await exportMemberData(orm, settings.memberId)));
      } finally {
        await orm.close(true);
        await embedded?.stop();
      }
    });

  memberOptions(member.command('import'))
    .description('Load a member data file (YAML): validated first, written in one transaction, idempotent.')
    .argument('<file>', 'the member data file')
    .option('--prune', 'remove records from the data file that it no longer lists (records written through the API are kept, and listed)')
    .option('--check', 'validate only; write nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  $ infrared member import --member kafshata kafshata.yaml\n  $ infrared member import --member kafshata --prune kafshata.yaml\n  $ infrared member import --member kafshata --check kafshata.yaml',
    )
    .action(async (file: string, flags: MemberFlags & { prune?: boolean; check?: boolean }) => {
      const { DataFileError, formatSummary, parseMemberData, writeMemberData } = await import('../../../subgraphs/member/src/import/import-member-data');
      const { createLogger } = await import('../../../common/logger');
      const { connectMemberDatabase } = await import('../../../subgraphs/member/src/serve');
      const settings = config(flags);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`${file}: nothing was written; cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      // the one validation, shared by --check and the import: what --check accepts, the import writes
      let data;
      try {
        data = parseMemberData(text, settings.memberId);
      } catch (err) {
        if (err instanceof DataFileError) throw new CliError(`${file}: nothing was written; ${err.message}`, 2);
        throw err;
      }
      const counted = `${data.services.length} services, ${data.projects.length} projects`;
      if (flags.check) {
        process.stdout.write(`${file}: valid (${counted}); nothing was written (--check)\n`);
        return;
      }
      const logger = createLogger(`member:${settings.memberId}`, 'warn');
      let summary: Awaited<ReturnType<typeof writeMemberData>> | undefined;
      try {
        const { orm, embedded } = await connectMemberDatabase(settings, logger);
        try {
          summary = await writeMemberData(orm, data, { prune: flags.prune, onProgress: (m) => process.stdout.write(`  ${m}\n`) });
        } finally {
          await orm.close(true);
          await embedded?.stop();
        }
      } catch (err) {
        if (summary) throw new CliError(`${file}: imported, but closing the database failed: ${(err as Error).message}`);
        // one transaction: a failure anywhere rolls the whole file back
        throw new CliError(`${file}: nothing was written; the import failed: ${(err as Error).message}`);
      }
      for (const line of formatSummary(summary)) process.stdout.write(`${line}\n`);
      process.stdout.write(`${file}: imported (${counted})\n`);
    });
}
