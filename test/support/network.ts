import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'yaml';
import { freePort } from '../../scripts/fault/free-port';
import { signAssertion } from '../../common/auth/assertion';
import { issueCallerToken } from '../../common/auth/caller-token';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';
import type { Caller } from '../../common/caller';
import { createLogger, type Logger } from '../../common/logger';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway/src/app';
import type { MemberSubgraph } from '../../subgraphs/member/src/app';
import { openDatabase } from '../../subgraphs/member/src/db/orm';
import { importMemberData } from '../../subgraphs/member/src/import/import-member-data';
import { serveMember } from '../../subgraphs/member/src/serve';

export const NETWORK_ID = 'testnet';
export const GATEWAY_ID = 'test-gateway';
export const quietLogger = () => createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

export function databaseUrl(): string {
  const url = process.env.INFRARED_TEST_DATABASE_URL;
  if (!url) throw new Error('INFRARED_TEST_DATABASE_URL is not set: tests must run through jest (globalSetup)');
  return url;
}

/** A fresh schema name, unique to this run and this test file. */
export function uniqueSchema(member: string): string {
  return `t${randomBytes(4).toString('hex')}_${member.replace(/-/g, '_')}`.slice(0, 60);
}

export interface TestMember {
  id: string;
  name?: string;
  region?: string;
  languages?: string[];
  /** The member's data file content (without `member:`), validated by the importer. */
  data?: Record<string, unknown>;
  /** The member's caller policy; the harness default is `asserted` (its callers hold unbound tokens). */
  callerPolicy?: 'proven' | 'asserted';
}

export interface TestNetworkOptions {
  /**
   * Start the gateway on a port chosen in advance, so that the registry lists its endpoint
   * (`gateways[].endpoints`) from the start, as proven callers' proofs name it.
   */
  publishGatewayEndpoint?: boolean;
  /** The logger of each member subgraph (default: silent). */
  memberLogger?: (member: string) => Logger;
}

export interface GraphQLResult {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[]; extensions?: Record<string, any> };
}

/** A TCP port that was free a moment ago (for a service whose URL must be known before it starts). */
export { freePort };

/** Posts a GraphQL request over real HTTP. */
export async function post(url: string, query: string, opts: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string>; rawBody?: string } = {}): Promise<GraphQLResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(url, { method: 'POST', headers, body: opts.rawBody ?? JSON.stringify({ query, variables: opts.variables }) });
  const text = await res.text();
  let body: GraphQLResult['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `non-JSON answer: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, body };
}

/**
 * A real network for a test file: member subgraphs over HTTP on port 0, each on its own schema
 * of the test database, keys for every member and the gateway, a registry file, and the gateway.
 */
export class TestNetwork {
  readonly dir = mkdtempSync(join(tmpdir(), 'infrared-test-'));
  readonly registryFile = join(this.dir, 'network.yaml');
  readonly keys = new Map<string, PrivateJwk>();
  readonly members = new Map<string, MemberSubgraph>();
  readonly orms = new Map<string, MikroORM>();
  gateway!: Gateway;
  gatewayKey!: PrivateJwk;
  private roster: TestMember[] = [];
  private memberLogger?: (member: string) => Logger;
  private extraMembers: Record<string, unknown>[] = [];

  /** The gateway's endpoint as the registry lists it (with `publishGatewayEndpoint`). */
  gatewayEndpoint?: string;

  static async start(members: TestMember[], gatewayOptions: Partial<GatewayOptions> = {}, options: TestNetworkOptions = {}): Promise<TestNetwork> {
    const net = new TestNetwork();
    await net.init(members, gatewayOptions, options);
    return net;
  }

  private async init(members: TestMember[], gatewayOptions: Partial<GatewayOptions>, options: TestNetworkOptions): Promise<void> {
    this.roster = members;
    this.memberLogger = options.memberLogger;
    if (options.publishGatewayEndpoint) {
      const port = await freePort();
      gatewayOptions = { port, ...gatewayOptions };
      this.gatewayEndpoint = `http://127.0.0.1:${port}/graphql`;
    }
    this.gatewayKey = (await createKeyPair()).privateJwk;
    for (const m of members) this.keys.set(m.id, (await createKeyPair()).privateJwk);
    this.writeRegistry();
    for (const m of members) await this.startMember(m);
    this.writeRegistry();
    this.gateway = await this.gatewayWith({ registryPollMs: 200, responseCacheTtlSeconds: 0, ...gatewayOptions });
  }

  /**
   * Another gateway of this network, besides `gateway`: started (listening on a port of its own),
   * over the same registry file, with the same gateway id and key and a silent logger, and only
   * the settings in `options` on top (none of `gateway`'s test settings: registry poll, no
   * response cache). `options` may replace any of those (another registry file, id or key).
   * The caller stops it; `stop()` does not.
   */
  extraGateway(options: Partial<GatewayOptions> = {}): Promise<Gateway> {
    return this.gatewayWith(options);
  }

  private gatewayWith(options: Partial<GatewayOptions>): Promise<Gateway> {
    return createGateway({
      registryFile: this.registryFile,
      port: 0,
      gatewayId: GATEWAY_ID,
      signingKey: this.gatewayKey,
      logger: quietLogger(),
      ...options,
    });
  }

  async startMember(m: TestMember, port = 0): Promise<MemberSubgraph> {
    let orm = this.orms.get(m.id);
    if (!orm) {
      orm = await openDatabase({ url: databaseUrl(), schema: uniqueSchema(m.id), poolMax: 3 }, quietLogger());
      this.orms.set(m.id, orm);
      await importMemberData(orm, m.id, { member: m.id, ...(m.data ?? {}) } as never);
    }
    const member = await serveMember(
      {
        memberId: m.id,
        languages: m.languages ?? ['en'],
        port,
        host: '127.0.0.1',
        registryFile: this.registryFile,
        databaseSchema: 'unused',
        acceptDirectTokens: false,
        callerPolicy: m.callerPolicy ?? 'asserted',
      },
      { logger: this.memberLogger?.(m.id) ?? quietLogger(), orm, signingKey: this.keys.get(m.id) },
    );
    this.members.set(m.id, member);
    return member;
  }

  /** Writes network.yaml from the roster and the running members (plus any extra entries). */
  writeRegistry(mutate?: (registry: Record<string, any>) => void): void {
    const registry: Record<string, any> = {
      network: { id: NETWORK_ID, name: 'Test network' },
      members: [
        ...this.roster.map((m) => ({
          id: m.id,
          name: m.name ?? `Member ${m.id}`,
          region: m.region ?? 'Test region',
          countries: [],
          languages: m.languages ?? ['en'],
          url: this.members.get(m.id)?.url ?? 'http://127.0.0.1:9/graphql',
          keys: [publicPart(this.keys.get(m.id)!)],
        })),
        ...this.extraMembers,
      ],
      gateways: [{ id: GATEWAY_ID, keys: [publicPart(this.gatewayKey)], ...(this.gatewayEndpoint ? { endpoints: [this.gatewayEndpoint] } : {}) }],
    };
    mutate?.(registry);
    writeFileSync(this.registryFile, stringify(registry));
  }

  /** Adds a registry entry for an endpoint that is not one of our member subgraphs (a liar, a hang). */
  addExternalMember(entry: { id: string; url: string; deadlineMs?: number }): void {
    this.extraMembers.push({ name: entry.id, region: 'Elsewhere', countries: [], languages: ['en'], keys: [], ...entry });
    this.writeRegistry();
  }

  async reloadRegistry(): Promise<void> {
    await this.gateway.registry.reload();
  }

  registryText(): string {
    return readFileSync(this.registryFile, 'utf8');
  }

  /** A caller token issued by `member`; `boundTo` (a key thumbprint) binds it to the caller's key (`cnf.jkt`). */
  async token(member: string, opts: { scopes?: string[]; subject?: string; ttlSeconds?: number; boundTo?: string } = {}): Promise<string> {
    return issueCallerToken({
      key: this.keys.get(member)!,
      member,
      subject: opts.subject ?? `${member}-tester`,
      scopes: opts.scopes ?? ['read'],
      audience: NETWORK_ID,
      ttlSeconds: opts.ttlSeconds ?? 600,
      boundTo: opts.boundTo,
    });
  }

  /** Signs an assertion as the gateway would, for direct calls to a member subgraph. */
  assertion(member: string, caller: Caller, body: string, key: PrivateJwk = this.gatewayKey, gatewayId = GATEWAY_ID): Promise<string> {
    return signAssertion({ key, gatewayId, member, caller, body });
  }

  query(query: string, opts: Parameters<typeof post>[2] = {}): Promise<GraphQLResult> {
    return post(this.gateway.url, query, opts);
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    for (const m of this.members.values()) await m.stop().catch(() => undefined);
    // schemas are dropped by the global teardown, once no test file is running: dropping one
    // while another file's migrator lists tables races inside PostgreSQL's catalog queries
    for (const orm of this.orms.values()) await orm.close(true);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
