import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { issueCallerToken } from '../../common/auth/caller-token';
import { createLogger, type Logger } from '../../common/logger';
import { createGateway, type Gateway } from '../../gateway/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../subgraphs/member/src/db/embedded';
import { formatSummary, importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { serveMember } from '../../subgraphs/member/src/serve';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { ensureKey, pinned } from './demo-keys';

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
  log: (line: string) => void;
  logger?: Logger;
}

export interface DemoNetwork {
  gateway: Gateway;
  members: MemberSubgraph[];
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
 * Starts the whole demo network in one process: one embedded PostgreSQL shared by all members
 * (a schema each), every member seeded from its YAML file through the import code users run,
 * keys for every member and for the gateway, and the gateway on top.
 */
export async function startDemoNetwork(opts: DemoOptions): Promise<DemoNetwork> {
  const logger = opts.logger ?? createLogger('demo', process.env.LOG_LEVEL ?? 'warn');
  const stateDir = resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const started: { name: string; stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of started.splice(0).reverse()) {
      logger.debug({ part: s.name }, 'stopping');
      await s.stop().catch((err) => logger.error({ part: s.name, err: (err as Error).message }, 'stop failed'));
    }
  };
  try {
    const roster = parse(readFileSync(join(opts.dataDir, 'members.yaml'), 'utf8')) as DemoMember[];
    const keysDir = join(stateDir, 'keys');
    const gatewayKey = await ensureKey(keysDir, 'demo-gateway');
    const memberKeys = Object.fromEntries(await Promise.all(roster.map(async (m) => [m.id, await ensureKey(keysDir, m.id)] as const)));
    opts.log(`keys: ${roster.length} members and the gateway (${keysDir})`);

    const registryFile = join(stateDir, 'network.yaml');
    const registry = {
      network: { id: 'infrared', name: 'InfraRed' },
      members: roster.map((m, i) => ({ ...m, url: `http://127.0.0.1:${opts.memberBasePort + i}/graphql`, keys: [pinned(memberKeys[m.id])] })),
      gateways: [{ id: 'demo-gateway', keys: [pinned(gatewayKey)] }],
    };
    writeFileSync(registryFile, `# InfraRed demo registry, written by \`npm start\`. The gateway watches this file.\n${stringify(registry)}`);

    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      opts.log('database: starting embedded PostgreSQL (PGlite), shared by all demo members…');
      const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: join(stateDir, 'pgdata'), logger });
      started.push({ name: 'embedded database', stop: () => embedded.stop() });
      databaseUrl = embedded.url;
    }

    const members: MemberSubgraph[] = [];
    for (const [i, m] of roster.entries()) {
      const schema = `member_${m.id.replace(/-/g, '_')}`;
      const orm = await openDatabase({ url: databaseUrl, schema, poolMax: 2 }, logger);
      started.push({ name: `database pool ${m.id}`, stop: () => orm.close(true) });
      const summary = await importMemberData(orm, m.id, readFileSync(join(opts.dataDir, 'members', `${m.id}.yaml`), 'utf8'), { prune: true });
      opts.log(`member ${m.id}: imported (${formatSummary(summary).map((l) => l.split(',')[0]).join('; ')})`);
      const member = await serveMember(
        { memberId: m.id, languages: m.languages, port: opts.memberBasePort + i, host: '127.0.0.1', registryFile, databaseSchema: schema, acceptDirectTokens: false, production: false },
        { logger, orm, signingKey: memberKeys[m.id] },
      );
      started.push({ name: `member ${m.id}`, stop: () => member.stop() });
      members.push(member);
    }

    const gateway = await createGateway({ registryFile, port: opts.gatewayPort, gatewayId: 'demo-gateway', signingKey: gatewayKey, logger, production: false });
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
