import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { issueCallerToken } from '../../common/auth/caller-token';
import { createLogger, type Logger } from '../../common/logger';
import { createGateway, type Gateway } from '../../gateway/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { formatSummary, importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { serveMember } from '../../subgraphs/member/src/serve';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { ensureKey, pinned } from './demo-keys';
import { signedDemoRegistry } from './demo-registry';
import { startMemberProcess } from './member-process';
import { assertPortsFree } from './ports';

export interface DemoOptions {
  /** Where the demo keeps its state: network.yaml, keys, the embedded database. */
  stateDir: string;
  /** The repository's demo data: demo/members.yaml and demo/members/<id>.yaml. */
  dataDir: string;
  gatewayPort: number;
  /** Members listen on consecutive ports after this one. */
  memberBasePort: number;
  /** A real PostgreSQL instead of the embedded one (each member gets a schema). */
  databaseUrl?: string;
  /**
   * The embedded PostgreSQL, already starting in `<stateDir>/pgdata` (the CLI starts it before
   * loading the rest of the code, so both overlap). Stopped with the demo. Default: started here.
   */
  embedded?: Promise<EmbeddedPostgres>;
  log: (line: string) => void;
  logger?: Logger;
  /**
   * Run each member as its own `infrared member start` process (sharing the embedded PostgreSQL
   * over its socket), so one can be stopped or frozen (`kill -STOP <pid>`) on its own. Default:
   * every member in this process.
   */
  memberProcesses?: boolean;
  /**
   * Members that run with the `proven` caller policy (NETWORK data and above only for callers who
   * sign proofs with the key their token is bound to). Default: none, every demo member takes the
   * gateway's word (`asserted`), so the demo's unbound tokens see everything they may. In-process
   * members only.
   */
  provenMembers?: string[];
  /**
   * Prefix of each member's database schema (`<prefix><member id>`). Default `member_`. Networks
   * that share one database at the same time (test suites in parallel) need prefixes of their own.
   */
  schemaPrefix?: string;
}

/** A running demo member, in this process or in its own (then with its `pid`). */
export interface DemoMemberHandle {
  memberId: string;
  url: string;
  port: number;
  pid?: number;
  stop(): Promise<void>;
}

export interface DemoNetwork {
  gateway: Gateway;
  members: DemoMemberHandle[];
  tokens: Record<string, string>;
  registryFile: string;
  stop(): Promise<void>;
}

interface DemoMember {
  id: string;
  name: string;
  region: string;
  countries: string[];
  languages: string[];
  website?: string;
  description?: Record<string, string>;
}

/**
 * Starts the whole demo network: one embedded PostgreSQL shared by all members (a schema each),
 * every member seeded from its YAML file through the import code users run, keys for every member
 * and for the gateway, the members (in this process, or a process each), and the gateway on top.
 * Every fixed port is checked before anything else is done.
 */
/** The URLs a browser or a bot on this machine names the demo gateway's /graphql by. */
function gatewayEndpoints(port: number): string[] {
  return [`http://127.0.0.1:${port}/graphql`, `http://localhost:${port}/graphql`];
}

export async function startDemoNetwork(opts: DemoOptions): Promise<DemoNetwork> {
  const logger = opts.logger ?? createLogger('demo', process.env.LOG_LEVEL ?? 'warn');
  if (opts.memberProcesses && opts.provenMembers?.length) throw new TypeError('provenMembers applies to in-process members only');
  const stateDir = resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const started: { name: string; stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of started.splice(0).reverse()) {
      logger.debug({ part: s.name }, 'stopping');
      await s.stop().catch((err) => logger.error({ part: s.name, err: (err as Error).message }, 'stop failed'));
    }
  };
  if (opts.embedded) {
    const embedded = opts.embedded;
    started.push({ name: 'embedded database', stop: async () => (await embedded).stop() });
  }
  try {
    const roster = parse(readFileSync(join(opts.dataDir, 'members.yaml'), 'utf8')) as DemoMember[];
    await assertPortsFree([{ port: opts.gatewayPort, what: 'the gateway' }, ...roster.map((m, i) => ({ port: opts.memberBasePort + i, what: `member ${m.id}` }))]);
    const keysDir = join(stateDir, 'keys');
    const gatewayKey = await ensureKey(keysDir, 'demo-gateway');
    const memberKeys = Object.fromEntries(await Promise.all(roster.map(async (m) => [m.id, await ensureKey(keysDir, m.id)] as const)));
    opts.log(`keys: ${roster.length} members and the gateway (${keysDir})`);

    const registryFile = join(stateDir, 'network.yaml');
    const registry = {
      network: { id: 'infrared', name: 'InfraRed' },
      members: roster.map((m, i) => ({ ...m, url: `http://127.0.0.1:${opts.memberBasePort + i}/graphql`, keys: [pinned(memberKeys[m.id])] })),
      // a fixed gateway port: its /graphql is the endpoint that callers' proofs name (and members check)
      gateways: [{ id: 'demo-gateway', keys: [pinned(gatewayKey)], ...(opts.gatewayPort > 0 ? { endpoints: gatewayEndpoints(opts.gatewayPort) } : {}) }],
    };
    const signed = await signedDemoRegistry(registry, memberKeys, stateDir);
    writeFileSync(registryFile, signed.text);
    opts.log(`registry: version 1 signed by ${roster.length} members, pinned as ${signed.hash}`);

    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl && opts.embedded) {
      opts.log('database: embedded PostgreSQL (PGlite), shared by all demo members');
      databaseUrl = (await opts.embedded).url;
    } else if (!databaseUrl) {
      opts.log('database: starting embedded PostgreSQL (PGlite), shared by all demo members…');
      const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: join(stateDir, 'pgdata'), logger });
      started.push({ name: 'embedded database', stop: () => embedded.stop() });
      databaseUrl = embedded.url;
    }

    // The embedded PostgreSQL runs every member's statements one at a time: while all the members
    // start (migrations) on a loaded machine, a statement can wait past the production 5 s limit.
    // The demo's members get 30 s there, unless the environment says otherwise.
    const embeddedTimeouts: Record<string, string> = !opts.databaseUrl && !process.env.DATABASE_STATEMENT_TIMEOUT_MS ? { DATABASE_STATEMENT_TIMEOUT_MS: '30000' } : {};
    const starting: Promise<DemoMemberHandle>[] = [];
    for (const [i, m] of roster.entries()) {
      const schema = `${opts.schemaPrefix ?? 'member_'}${m.id.replace(/-/g, '_')}`;
      const orm = await openDatabase({ url: databaseUrl, schema, poolMax: 2 }, logger);
      const closeOrm = () => orm.close(true);
      started.push({ name: `database pool ${m.id}`, stop: closeOrm });
      const summary = await importMemberData(orm, m.id, readFileSync(join(opts.dataDir, 'members', `${m.id}.yaml`), 'utf8'), { prune: true });
      opts.log(
        `member ${m.id}: imported (${formatSummary(summary)
          .map((l) => l.split(',')[0])
          .join('; ')})`,
      );
      const port = opts.memberBasePort + i;
      if (opts.memberProcesses) {
        // this process is done with the member's database; its own process opens it (the next import overlaps its start)
        await closeOrm();
        started.splice(
          started.findIndex((x) => x.stop === closeOrm),
          1,
        );
        const url = databaseUrl;
        starting.push(
          startMemberProcess({
            memberId: m.id,
            port,
            databaseUrl: url,
            schema,
            registryFile,
            keyFile: join(keysDir, `${m.id}.jwk.json`),
            languages: m.languages,
            env: { ...embeddedTimeouts, ...signed.trustEnv(m.id) },
          }).then((member) => {
            started.push({ name: `member ${m.id}`, stop: () => member.stop() });
            return member;
          }),
        );
      } else {
        const member: MemberSubgraph = await serveMember(
          {
            memberId: m.id,
            languages: m.languages,
            port,
            host: '127.0.0.1',
            registryFile,
            databaseSchema: schema,
            acceptDirectTokens: false,
            production: false,
            callerPolicy: opts.provenMembers?.includes(m.id) ? 'proven' : 'asserted',
            ...signed.trust(m.id),
          },
          { logger, orm, signingKey: memberKeys[m.id] },
        );
        started.push({ name: `member ${m.id}`, stop: () => member.stop() });
        starting.push(Promise.resolve(member));
      }
    }
    const settled = await Promise.allSettled(starting);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const members = settled.map((r) => (r as PromiseFulfilledResult<DemoMemberHandle>).value);

    const gateway = await createGateway({ registryFile, port: opts.gatewayPort, gatewayId: 'demo-gateway', signingKey: gatewayKey, logger, production: false, ...signed.trust('demo-gateway') });
    started.push({ name: 'gateway', stop: () => gateway.stop() });
    const tokens: Record<string, string> = {};
    for (const m of roster) {
      tokens[m.id] = await issueCallerToken({ key: memberKeys[m.id], member: m.id, subject: `demo-${m.id}`, scopes: ['read', 'write'], audience: 'infrared', ttlSeconds: 24 * 3600 });
    }
    return { gateway, members, tokens, registryFile, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
