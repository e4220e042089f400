import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { publicPart, readPrivateJwk, type PrivateJwk } from '../../../common/auth/keys';
import { sendJson } from '../../../common/http/send';
import { createLogger, type Logger } from '../../../common/logger';
import { RegistryWatcher } from '../../../common/registry/registry-watcher';
import { registryWatchOptions } from '../../../common/registry/trust-settings';
import type { Registry } from '../../../common/registry/registry.schema';
import { PendingChecks } from '../../../common/http/pending-checks';
import { PostgresReplayCache } from './access/postgres-replay-cache';
import { TombstonePurge } from './changes/tombstone-purge';
import { SubsetCheck } from './access/subset-check';
import { subsetSchemas } from './access/subset-schemas';
import { createCallerResolver, createGatewayProbe } from './access/trust';
import { createMemberSubgraph, type MemberSubgraph } from './app';
import type { DatabaseTimeoutKeys, MemberConfig, MemberSettings } from './config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { DATABASE_TIMEOUTS, openDatabase, type DatabaseTimeouts } from './db/orm';

/** The longest `/ready` waits for the database (at most the statement timeout). */
export const READY_TIMEOUT_MS = 1500;

/** The member's database timeouts, from its configuration. */
export function databaseTimeouts(config: Partial<Pick<MemberConfig, DatabaseTimeoutKeys>>): DatabaseTimeouts {
  return {
    statementMs: config.databaseStatementTimeoutMs ?? DATABASE_TIMEOUTS.statementMs,
    connectMs: config.databaseConnectTimeoutMs ?? DATABASE_TIMEOUTS.connectMs,
    idleInTransactionMs: config.databaseIdleInTransactionTimeoutMs ?? DATABASE_TIMEOUTS.idleInTransactionMs,
  };
}

/** Where the member's database is, starting embedded PostgreSQL when no DATABASE_URL is set. */
export async function connectMemberDatabase(
  config: Pick<MemberConfig, 'databaseUrl' | 'dataDir' | 'memberId' | 'databaseSchema'> & Partial<Pick<MemberConfig, DatabaseTimeoutKeys>>,
  logger: Logger,
): Promise<{ orm: MikroORM; embedded?: EmbeddedPostgres }> {
  let url = config.databaseUrl;
  let embedded: EmbeddedPostgres | undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir ?? join('.infrared', `member-${config.memberId}`, 'pgdata'), logger });
    url = embedded.url;
  }
  try {
    return { orm: await openDatabase({ url, schema: config.databaseSchema, timeouts: databaseTimeouts(config) }, logger), embedded };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/**
 * Runs a member subgraph from its configuration: database (real or embedded), trust (the
 * registry's gateway keys), JWKS, and the GraphQL endpoint. What `infrared member start` runs.
 */
export async function serveMember(config: MemberSettings, opts: { logger?: Logger; orm?: MikroORM; signingKey?: PrivateJwk } = {}): Promise<MemberSubgraph> {
  const logger = opts.logger ?? createLogger(`member:${config.memberId}`);
  const watcher = config.registryFile
    ? await RegistryWatcher.start(
        config.registryFile,
        logger,
        undefined,
        registryWatchOptions({
          registrySignatures: config.registrySignatures ?? (process.env.INFRARED_REGISTRY_SIGNATURES === 'off' ? 'off' : 'on'),
          registryPin: config.registryPin,
          registryStateFile: config.registryStateFile,
          production: config.production ?? true,
        }),
      )
    : undefined;
  const empty: Registry = { network: { id: 'none', name: 'none' }, version: 0, threshold: 'majority', signatures: [], members: [], gateways: [] };
  const registry = () => watcher?.registry ?? empty;
  if (!watcher) logger.warn('no registry file: no gateway is trusted, every request is answered as anonymous (PUBLIC data only)');
  const entry = registry().members.find((m) => m.id === config.memberId);
  const languages = config.languages ?? entry?.languages ?? ['en'];
  const privateKey = opts.signingKey ?? (config.keyFile ? readPrivateJwk(config.keyFile) : undefined);
  const ownKey = privateKey ? publicPart(privateKey) : undefined;
  const database = opts.orm ? { orm: opts.orm } : await connectMemberDatabase(config, logger);
  // shared by every process of this member on this database: an assertion is accepted once
  const replay = new PostgresReplayCache(database.orm, logger);
  // the change feed's tombstones (and every other change-log row) live this long
  const purge = new TombstonePurge(database.orm, logger, config.changeRetentionDays ?? 30);
  const policy = config.callerPolicy ?? 'proven';
  logger.info(
    { callerPolicy: policy },
    policy === 'proven' ? 'caller policy: proven (NETWORK+ data and writes only for callers proven here)' : 'caller policy: asserted (a trusted gateway speaks for callers)',
  );
  // a sub-request's replay verdict settles while its read executes; the answer waits for it
  const pendingChecks = new PendingChecks();
  const trust = {
    memberId: config.memberId,
    registry,
    trustedGateways: config.trustedGateways,
    acceptDirectTokens: config.acceptDirectTokens,
    replay,
    policy,
    subset: new SubsetCheck(subsetSchemas()),
    gatewayEndpoints: config.gatewayEndpoints,
    pendingChecks,
  };
  const subgraph = await createMemberSubgraph({
    member: { id: config.memberId, languages },
    database: { orm: database.orm },
    port: config.port,
    host: config.host,
    logger,
    signingKey: privateKey,
    production: config.production ?? true,
    registryTrust: watcher?.trust,
    resolveCaller: createCallerResolver(trust),
    pendingChecks,
    probeGateway: watcher ? createGatewayProbe(trust) : undefined,
    // /ready says 503 before a gateway's health probe (2 s by default) gives up on it, so the
    // gateway sees "database unavailable" rather than "no answer"
    readyTimeoutMs: Math.min(databaseTimeouts(config).statementMs, READY_TIMEOUT_MS),
    routes: {
      '/.well-known/jwks.json': (_req, res) => {
        const pinned = registry().members.find((m) => m.id === config.memberId)?.keys ?? [];
        const keys = [...(ownKey ? [ownKey] : []), ...pinned.filter((k) => k.kid !== ownKey?.kid)];
        sendJson(res, 200, { keys }, { 'cache-control': 'max-age=300' });
      },
    },
  });
  return {
    ...subgraph,
    async stop(shutdown = {}) {
      await subgraph.stop({ drainTimeoutMs: config.shutdownTimeoutMs, ...shutdown });
      watcher?.stop();
      replay.stop();
      purge.stop();
      if (!opts.orm) await database.orm.close(true);
      if ('embedded' in database) await database.embedded?.stop();
    },
  };
}
