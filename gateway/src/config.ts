import { z } from 'zod';
import { registryTrustConfig } from '../../common/registry/trust-settings';
import { envBoolean, productionFlag, resolveConfig } from '../../common/config';

/** Gateway settings, with their defaults. Every one can come from the environment (INFRARED_*). */
export const gatewayConfigSchema = z.strictObject({
  /** Path of the registry file (network.yaml) the gateway watches. */
  registryFile: z.string().min(1),
  /** This gateway's id, as pinned under `gateways:` in the registry. */
  gatewayId: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)
    .default('gateway'),
  /** Path of the gateway's private JWK, used to sign sub-request assertions. */
  signingKeyFile: z.string().optional(),
  /**
   * This gateway's public GraphQL endpoints (comma-separated URLs), as proven callers name them
   * in their proofs (`htu`), in addition to the `endpoints` of this gateway's registry entry
   * (which is what members check). Without either, proven callers are refused.
   */
  publicEndpoints: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      z.array(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })),
    )
    .optional(),
  port: z.coerce.number().int().min(0).max(65535).default(4000),
  host: z.string().default('127.0.0.1'),
  /** Default per-member deadline (a member entry's `deadlineMs` overrides it). */
  memberDeadlineMs: z.coerce.number().int().positive().max(60_000).default(2000),
  /** The whole request's budget across all member calls. */
  requestBudgetMs: z.coerce.number().int().positive().max(120_000).default(5000),
  /** Member answers larger than this are cut off and reported. */
  maxMemberResponseBytes: z.coerce.number().int().positive().default(5_000_000),
  /** Items taken from any one list of one member's answer; the rest are cut and reported (members serve at most 1,000). */
  maxMemberListItems: z.coerce.number().int().positive().max(100_000).default(1000),
  /** Most pairs `supportMatches` answers. */
  maxSupportMatches: z.coerce.number().int().positive().max(100_000).default(1000),
  /** Keep-alive connections to all members together; each member gets its share (at most 32). */
  memberSockets: z.coerce.number().int().min(16, 'memberSockets must be at least 16').max(65_536, 'memberSockets must be at most 65536').default(1024),
  maxRequestBodyBytes: z.coerce.number().int().positive().default(200_000),
  healthIntervalMs: z.coerce.number().int().positive().default(10_000),
  /** Consecutive failures that open a member's circuit breaker. */
  breakerFailures: z.coerce.number().int().positive().default(3),
  /** How long an open breaker waits before a half-open probe. */
  breakerHalfOpenMs: z.coerce.number().int().positive().default(10_000),
  /** Requests per caller (token member+subject, or IP when anonymous) per window. */
  rateLimitPoints: z.coerce.number().int().positive().default(600),
  rateLimitWindowSeconds: z.coerce.number().int().positive().default(60),
  maxQueryDepth: z.coerce.number().int().positive().default(10),
  maxAliases: z.coerce.number().int().positive().default(15),
  maxTokens: z.coerce.number().int().positive().default(2000),
  maxDirectives: z.coerce.number().int().positive().default(20),
  maxCost: z.coerce.number().int().positive().default(5000),
  /** Member calls one operation may make: member root fields × the members each reaches (filter.members honoured). */
  maxFanoutCost: z.coerce.number().int().positive().default(400),
  /** Estimated field resolutions allowed in one operation (lists count at their first/limit or the per-member cap). */
  maxOperationCost: z.coerce.number().int().positive().default(10_000_000),
  /** Items assumed in a member list without a smaller first/limit: the members' own cap per list. */
  costListSize: z.coerce.number().int().positive().default(1000),
  /** Cost units per rate-limit point: an operation is charged ceil(cost / costPerPoint) points. */
  costPerPoint: z.coerce.number().int().positive().default(10_000),
  /** Points per issuing member per window, shared by every token it signed (all subjects together). */
  issuerRateLimitPoints: z.coerce.number().int().positive().default(6000),
  /** GraphQL requests executing at once; more wait in the admission queue. */
  maxConcurrentRequests: z.coerce.number().int().positive().default(64),
  /** Member calls in flight to one member at once. */
  memberConcurrency: z.coerce.number().int().positive().max(32).default(16),
  /** Member calls in flight in total. */
  maxMemberCalls: z.coerce.number().int().positive().default(256),
  /** Requests (and member calls) that may wait for a slot; beyond it they are shed with 503 OVERLOADED. */
  admissionQueue: z.coerce.number().int().min(0).default(256),
  /** The longest a request or a member call waits for a slot before it is shed (503 OVERLOADED, Retry-After). */
  admissionWaitMs: z.coerce.number().int().min(0).max(30_000).default(1000),
  /** Heap for parsed operations and for query plans (each, as they really take it), in MiB; the fan-out's own plans get half as much each. */
  planCacheMiB: z.coerce.number().int().positive().max(1024).default(16),
  /** How far the heap may grow past what is live before a full collection, in percent (0: V8's default, up to 300). */
  heapGrowthPercent: z.coerce.number().int().min(0).max(300).default(50),
  /** A JSON file of known operations (an Apollo persisted query manifest, or { sha256: query }). */
  persistedOperationsFile: z.string().optional(),
  /** Accept only the operations in persistedOperationsFile (and refuse every other text or hash). */
  onlyPersistedOperations: z.preprocess(envBoolean, z.boolean()).default(false),
  /** Seconds a PUBLIC (anonymous) answer is served from the response cache; 0 turns it off. */
  responseCacheTtlSeconds: z.coerce.number().int().min(0).max(3600).default(10),
  /** Identical anonymous sub-requests in flight at once share one member call. */
  dedupeRequests: z.preprocess(envBoolean, z.boolean()).default(true),
  /** Seconds between crawls of the public index (PUBLIC catalogue served without fan-out); 0 turns it off. */
  publicIndexRefreshSeconds: z.coerce.number().int().min(0).max(86_400).default(0),
  /**
   * Replicas that share state in Redis: every key is namespaced by the network id and this group,
   * so gateways of other networks or other groups on the same Redis never share answers or counters.
   */
  gatewayGroup: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected lowercase letters, digits and "-" (at most 63)')
    .default('default'),
  /** Redis for state shared by gateway replicas (rate limits, response cache, public index). */
  redisUrl: z.string().optional(),
  /** A Redis command without an answer after this long fails, and Redis counts as hung (degraded). */
  redisCommandTimeoutMs: z.coerce.number().int().min(10, 'expected at least 10 ms').max(10_000).default(500),
  /** A Redis connection not established after this long fails. */
  redisConnectTimeoutMs: z.coerce.number().int().min(10, 'expected at least 10 ms').max(60_000).default(2_000),
  registryPollMs: z.coerce.number().int().positive().default(2_000),
  /** Live subscriptions (/graphql/stream): how often each shared feed (one per caller class) asks the members for changes. */
  streamPollMs: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** Comment lines on an idle stream at this interval, so proxies do not cut it. */
  streamHeartbeatMs: z.coerce.number().int().min(1_000).max(300_000).default(15_000),
  /** Live subscriptions held at once, in total. */
  maxSubscriptions: z.coerce.number().int().positive().default(10_000),
  /** Live subscriptions one caller (token member and subject, or IP address when anonymous) holds at once. */
  maxSubscriptionsPerCaller: z.coerce.number().int().positive().default(20),
  /** Changes waiting for one slow subscriber; beyond it, its stream ends with SUBSCRIBER_TOO_SLOW (it resumes from its last event id). */
  streamBufferSize: z.coerce.number().int().min(10).max(100_000).default(1_000),
  /** Recent changes each shared feed keeps in memory, so reconnecting subscribers resume without asking the members. */
  streamHistorySize: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** Changes per upstream page of the shared feeds. */
  streamPageSize: z.coerce.number().int().min(1).max(500).default(500),
  /** On SIGTERM/SIGINT, how long /ready answers 503 while requests are still served (load balancers move away). */
  shutdownDelayMs: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Then, how long requests in flight may take to finish before their connections are closed. */
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** Registry signatures, pin and accepted-version state (common/registry/trust-settings.ts). */
  ...registryTrustConfig,
  /**
   * Production (the default) hides stack traces and field suggestions. Development mode is
   * opt-in: `NODE_ENV=development`, or `infrared gateway start --dev`.
   */
  production: z.preprocess(productionFlag, z.boolean()).default(true).describe('off with development (or --dev), on otherwise'),
});

/** Settings that depend on each other. */
const checkedGatewayConfigSchema = gatewayConfigSchema.refine((c) => !c.onlyPersistedOperations || c.persistedOperationsFile, {
  message: 'onlyPersistedOperations (INFRARED_ONLY_PERSISTED_OPERATIONS) needs persistedOperationsFile (INFRARED_PERSISTED_OPERATIONS)',
  path: ['onlyPersistedOperations'],
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export const ENV: Record<string, keyof GatewayConfig> = {
  INFRARED_REGISTRY: 'registryFile',
  INFRARED_REGISTRY_SIGNATURES: 'registrySignatures',
  INFRARED_REGISTRY_PIN: 'registryPin',
  INFRARED_REGISTRY_STATE: 'registryStateFile',
  INFRARED_GATEWAY_ID: 'gatewayId',
  INFRARED_GATEWAY_KEY: 'signingKeyFile',
  INFRARED_PUBLIC_ENDPOINTS: 'publicEndpoints',
  PORT: 'port',
  HOST: 'host',
  INFRARED_MEMBER_DEADLINE_MS: 'memberDeadlineMs',
  INFRARED_REQUEST_BUDGET_MS: 'requestBudgetMs',
  INFRARED_MAX_MEMBER_RESPONSE_BYTES: 'maxMemberResponseBytes',
  INFRARED_MAX_MEMBER_LIST_ITEMS: 'maxMemberListItems',
  INFRARED_MAX_SUPPORT_MATCHES: 'maxSupportMatches',
  INFRARED_MEMBER_SOCKETS: 'memberSockets',
  INFRARED_MAX_REQUEST_BODY_BYTES: 'maxRequestBodyBytes',
  INFRARED_HEALTH_INTERVAL_MS: 'healthIntervalMs',
  INFRARED_BREAKER_FAILURES: 'breakerFailures',
  INFRARED_BREAKER_HALF_OPEN_MS: 'breakerHalfOpenMs',
  INFRARED_RATE_LIMIT: 'rateLimitPoints',
  INFRARED_RATE_LIMIT_WINDOW_S: 'rateLimitWindowSeconds',
  INFRARED_MAX_DEPTH: 'maxQueryDepth',
  INFRARED_MAX_ALIASES: 'maxAliases',
  INFRARED_MAX_TOKENS: 'maxTokens',
  INFRARED_MAX_COST: 'maxCost',
  INFRARED_MAX_FANOUT_COST: 'maxFanoutCost',
  INFRARED_MAX_OPERATION_COST: 'maxOperationCost',
  INFRARED_COST_LIST_SIZE: 'costListSize',
  INFRARED_COST_PER_POINT: 'costPerPoint',
  INFRARED_ISSUER_RATE_LIMIT: 'issuerRateLimitPoints',
  INFRARED_MAX_CONCURRENT_REQUESTS: 'maxConcurrentRequests',
  INFRARED_MEMBER_CONCURRENCY: 'memberConcurrency',
  INFRARED_MAX_MEMBER_CALLS: 'maxMemberCalls',
  INFRARED_ADMISSION_QUEUE: 'admissionQueue',
  INFRARED_ADMISSION_WAIT_MS: 'admissionWaitMs',
  INFRARED_PLAN_CACHE_MIB: 'planCacheMiB',
  INFRARED_HEAP_GROWTH_PERCENT: 'heapGrowthPercent',
  INFRARED_PERSISTED_OPERATIONS: 'persistedOperationsFile',
  INFRARED_ONLY_PERSISTED_OPERATIONS: 'onlyPersistedOperations',
  REDIS_URL: 'redisUrl',
  INFRARED_GATEWAY_GROUP: 'gatewayGroup',
  INFRARED_REDIS_COMMAND_TIMEOUT_MS: 'redisCommandTimeoutMs',
  INFRARED_REDIS_CONNECT_TIMEOUT_MS: 'redisConnectTimeoutMs',
  INFRARED_RESPONSE_CACHE_TTL_S: 'responseCacheTtlSeconds',
  INFRARED_PUBLIC_INDEX_REFRESH_S: 'publicIndexRefreshSeconds',
  INFRARED_DEDUPE_REQUESTS: 'dedupeRequests',
  INFRARED_STREAM_POLL_MS: 'streamPollMs',
  INFRARED_STREAM_HEARTBEAT_MS: 'streamHeartbeatMs',
  INFRARED_MAX_SUBSCRIPTIONS: 'maxSubscriptions',
  INFRARED_MAX_SUBSCRIPTIONS_PER_CALLER: 'maxSubscriptionsPerCaller',
  INFRARED_STREAM_BUFFER: 'streamBufferSize',
  INFRARED_STREAM_HISTORY: 'streamHistorySize',
  INFRARED_STREAM_PAGE_SIZE: 'streamPageSize',
  INFRARED_SHUTDOWN_DELAY_MS: 'shutdownDelayMs',
  INFRARED_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  NODE_ENV: 'production',
};

/** Validates settings (explicit options win over the environment); a bad one names itself. */
export function resolveGatewayConfig(input: Partial<GatewayConfigInput>, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return resolveConfig(checkedGatewayConfigSchema, ENV, input, env, 'gateway');
}
