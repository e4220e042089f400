import { z } from 'zod';
import { registryTrustConfig } from '../../../common/registry/trust-settings';
import { MEMBER_ID_PATTERN } from '../../../common/ids';
import { envBoolean, productionFlag, resolveConfig } from '../../../common/config';
import { CALLER_POLICIES } from './access/trust';

const list = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string()),
);
const bool = z.preprocess(envBoolean, z.boolean());

/** A member subgraph's settings, with their defaults. */
export const memberConfigSchema = z.strictObject({
  /** This member's id, as in the registry. */
  memberId: z.string().regex(MEMBER_ID_PATTERN, 'expected lowercase letters, digits and "-"'),
  /** BCP 47 tags; the first is the fallback language. Default: the registry entry's languages. */
  languages: list.optional(),
  /** A real PostgreSQL. Without it, embedded PostgreSQL (PGlite) stores data in `dataDir`. */
  databaseUrl: z.string().optional(),
  /** The PostgreSQL schema for this member's tables. */
  databaseSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lowercase SQL identifier')
    .default('infrared'),
  dataDir: z.string().optional(),
  /** The longest one SQL statement may run before the member answers DATABASE_UNAVAILABLE */
  databaseStatementTimeoutMs: z.coerce.number().int().min(100, 'expected at least 100 ms').max(600_000).default(5_000),
  /** The longest to wait for a database connection, new or free from the pool */
  databaseConnectTimeoutMs: z.coerce.number().int().min(100, 'expected at least 100 ms').max(600_000).default(5_000),
  /** PostgreSQL ends a session idle inside a transaction for this long, releasing its locks */
  databaseIdleInTransactionTimeoutMs: z.coerce.number().int().min(1_000, 'expected at least 1000 ms').max(3_600_000).default(30_000),
  port: z.coerce.number().int().min(0).max(65535).default(4001),
  host: z.string().default('127.0.0.1'),
  /** The registry file: gateway keys to trust, and members' keys for direct tokens. */
  registryFile: z.string().optional(),
  /** Registry signatures, pin and accepted-version state (common/registry/trust-settings.ts). */
  ...registryTrustConfig,
  /** Gateways this member trusts. Default: every gateway in the registry. */
  trustedGateways: list.optional(),
  /** Accept caller tokens sent straight to this subgraph (verified here). */
  acceptDirectTokens: bool.default(false),
  /**
   * `proven` (the default): NETWORK, MEMBERS and OWNER data, and writes, only for callers proven
   * to this member (a token bound to the caller's key and the caller's proof for the request,
   * forwarded by the gateway and checked here). `asserted`: a trusted gateway's word suffices.
   */
  callerPolicy: z.enum(CALLER_POLICIES).default('proven'),
  /** Gateway endpoints (proofs' `htu`) accepted besides the registry's `endpoints` of the relaying gateway. */
  gatewayEndpoints: list.optional(),
  /** This member's private JWK; its public half is served at /.well-known/jwks.json. */
  keyFile: z.string().optional(),
  /** How long the change feed keeps removals (tombstones) and other changes; an older cursor gets CURSOR_EXPIRED. */
  changeRetentionDays: z.coerce.number().min(1, 'expected at least 1 day').max(3650).default(30),
  /** On SIGTERM/SIGINT, how long /ready answers 503 while requests are still served. */
  shutdownDelayMs: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Then, how long requests in flight may take to finish before their connections are closed. */
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /**
   * Production (the default) hides field suggestions and schema details in errors. Development
   * mode is opt-in: `NODE_ENV=development`, or `infrared member start --dev`.
   */
  production: z.preprocess(productionFlag, z.boolean()).default(true).describe('off with development (or --dev), on otherwise'),
});

export type MemberConfig = z.infer<typeof memberConfigSchema>;

export type DatabaseTimeoutKeys = 'databaseStatementTimeoutMs' | 'databaseConnectTimeoutMs' | 'databaseIdleInTransactionTimeoutMs';
/** A member's settings as code may give them: production mode, shutdown and database timeouts, registry signatures may be left to their defaults. */
type DefaultedKeys = DatabaseTimeoutKeys | 'changeRetentionDays' | 'production' | 'shutdownDelayMs' | 'shutdownTimeoutMs' | 'registrySignatures' | 'callerPolicy';
export type MemberSettings = Omit<MemberConfig, DefaultedKeys> & Partial<Pick<MemberConfig, DefaultedKeys>>;

export const ENV: Record<string, keyof MemberConfig> = {
  INFRARED_MEMBER_ID: 'memberId',
  INFRARED_MEMBER_LANGUAGES: 'languages',
  DATABASE_URL: 'databaseUrl',
  DATABASE_SCHEMA: 'databaseSchema',
  INFRARED_DATA_DIR: 'dataDir',
  DATABASE_STATEMENT_TIMEOUT_MS: 'databaseStatementTimeoutMs',
  DATABASE_CONNECT_TIMEOUT_MS: 'databaseConnectTimeoutMs',
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'databaseIdleInTransactionTimeoutMs',
  PORT: 'port',
  HOST: 'host',
  INFRARED_REGISTRY: 'registryFile',
  INFRARED_REGISTRY_SIGNATURES: 'registrySignatures',
  INFRARED_REGISTRY_PIN: 'registryPin',
  INFRARED_REGISTRY_STATE: 'registryStateFile',
  INFRARED_TRUSTED_GATEWAYS: 'trustedGateways',
  INFRARED_ACCEPT_DIRECT_TOKENS: 'acceptDirectTokens',
  INFRARED_CALLER_POLICY: 'callerPolicy',
  INFRARED_GATEWAY_ENDPOINTS: 'gatewayEndpoints',
  INFRARED_MEMBER_KEY: 'keyFile',
  INFRARED_CHANGE_RETENTION_DAYS: 'changeRetentionDays',
  INFRARED_SHUTDOWN_DELAY_MS: 'shutdownDelayMs',
  INFRARED_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  NODE_ENV: 'production',
};

/** Validates settings: explicit options win over the environment; a bad one is named. */
export function resolveMemberConfig(input: Partial<Record<keyof MemberConfig, unknown>>, env: NodeJS.ProcessEnv = process.env): MemberConfig {
  return resolveConfig(memberConfigSchema, ENV, input, env, 'member');
}
