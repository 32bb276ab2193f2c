import { resolve } from 'node:path';
import { ConfigError } from './load-config-file.ts';

/** Everything the server needs to start; `main.ts` builds it from the environment, tests build it directly. */
export type ServerConfig = {
  host: string;
  port: number;
  dataDir: string;
  /** `:memory:` or a file path; defaults to `<dataDir>/agentstream.db`. */
  databaseFile?: string;
  /** `DATABASE_URL`, `postgres://…`: PostgreSQL, the store several instances share, instead of the SQLite file. */
  databaseUrl?: string;
  /** `REDIS_URL`, `redis://…`: Redis pub/sub, the bus several instances share, instead of the in-process one. */
  redisUrl?: string;
  /** Redis channels are `<prefix>:run:<runId>` and `<prefix>:control`; deployments sharing one Redis use different prefixes. */
  redisChannelPrefix: string;
  /** How often (ms) an instance heart-beats the runs it executes and sweeps for runs of dead instances (shared store only). */
  runHeartbeatMs: number;
  /** A run whose heartbeat is this old (ms) belongs to a dead instance and ends as `interrupted`. Larger than `runHeartbeatMs`. */
  runStaleAfterMs: number;
  /** A follower that heard nothing for this long (ms) re-reads the store, so a lost bus message cannot hang a stream. 0: off. */
  followResyncMs: number;
  configFile?: string;
  demoTokenDelayMs: number;
  heartbeatMs: number;
  maxConcurrentRuns: number;
  runTimeoutMs: number;
  bodyLimitBytes: number;
  /** Longest time (ms) to receive a request's headers and body (not to answer it: streams last longer); then 408. */
  requestTimeoutMs: number;
  /** A stream whose client takes nothing for this long (ms) is disconnected (it can resume with Last-Event-ID). */
  stalledReaderMs: number;
  /** Requests (streams included) one client address may have open at once; past it 429. 0: no limit. */
  maxStreamsPerClient: number;
  /**
   * New runs get 503 `overloaded` while the event loop's median delay (last 1-2 s) is past this (ms). 0 (the default):
   * not checked, because on a shared or CPU-starved machine the delay says more about the neighbours than about this
   * server's load; set it (e.g. 500) where the machine is the server's own.
   */
  maxEventLoopDelayMs: number;
  /** New runs get 503 `overloaded` while this many streams are open (all clients). 0: not checked. */
  maxOpenStreams: number;
  corsOrigins: string[];
  /** `AGENTSTREAM_API_KEY`: one shared key, the `default` tenant (kept from before tenants). */
  apiKey?: string;
  /** `AGENTSTREAM_API_KEYS=tenantA:keyA,tenantB:keyB`: each key acts for its tenant. */
  apiKeys?: string;
  /** `AGENTSTREAM_ADMIN_KEY`: admin routes and every tenant's runs. */
  adminKey?: string;
  /** `AGENTSTREAM_JWT_SECRET` (HS256) or `AGENTSTREAM_JWKS_URL`: bearer JWTs, tenant from `AGENTSTREAM_JWT_TENANT_CLAIM` (default `tenant`). */
  jwtSecret?: string;
  jwksUrl?: string;
  jwtTenantClaim: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** `AGENTSTREAM_ALLOWED_HOSTS`: host names besides loopback ones a loopback-bound server answers to. */
  allowedHosts: string[];
  /** `AGENTSTREAM_INSECURE=1` or `--insecure`: start on a non-loopback address with no keys. */
  insecure: boolean;
  /** `AGENTSTREAM_TLS_CERT` / `AGENTSTREAM_TLS_KEY`: PEM files; both set, the server speaks HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** `AGENTSTREAM_RATE_LIMIT`, e.g. `120/min`: requests per window per key (unset: no request limit). */
  rateLimit?: string;
  /** `AGENTSTREAM_RATE_LIMIT_RUNS`: concurrent runs per key (unset: only the server-wide cap). */
  rateLimitRuns?: number;
  /** `AGENTSTREAM_TOKEN_BUDGET`: tokens per key per day, counted from runs' usage (unset: none). */
  tokenBudget?: number;
  logLevel: string;
  webDir?: string;
  defaultModel?: string;
  /** A model stream that sends nothing for this long is aborted with `upstream_timeout` (ms). */
  stallTimeoutMs: number;
  /** Retries of a model call that fails with 429/5xx before its first token. */
  modelMaxRetries: number;
  /** First retry backoff (ms); doubles per retry, with jitter. */
  modelRetryBaseDelayMs: number;
  /** Longest wait before a retry (ms); a provider asking for longer (Retry-After) fails the call instead. */
  modelRetryMaxDelayMs: number;
  /** Longest MCP handshake (connect + list tools), in ms. */
  mcpConnectTimeoutMs: number;
  /** Longest MCP tool call unless the server's config says otherwise, in ms. */
  mcpCallTimeoutMs: number;
  /** `all` (API and worker), `api` (admits and streams, never executes) or `worker` (executes; serves /health and /ready only). */
  role: ServerRole;
  /** Runs one worker executes at once (queue shape). */
  workerConcurrency: number;
  /** On SIGTERM/SIGINT: how long (ms) running runs may go on before they are handed back at a step boundary. */
  shutdownGraceMs: number;
  /** A run started this many times (its workers kept dying) ends `run.failed` code `worker_lost`. */
  maxRunAttempts: number;
  /** How long (ms) a worker's hold on a job lasts without renewal: a dead worker's runs move to another within ~1.5x this. */
  workerLockMs: number;
  env: Record<string, string | undefined>;
};

export type ServerRole = 'all' | 'api' | 'worker';

/** Reads the environment. Unset values get the embedded defaults: 127.0.0.1:8000, SQLite under ./data, the demo model. */
export function configFromEnv(env: Record<string, string | undefined>, cwd = process.cwd()): ServerConfig {
  const dataDir = resolve(cwd, env.AGENTSTREAM_DATA_DIR ?? 'data');
  const runHeartbeatMs = positive(env.AGENTSTREAM_RUN_HEARTBEAT_MS, 2000, 'AGENTSTREAM_RUN_HEARTBEAT_MS');
  const runStaleAfterMs = positive(env.AGENTSTREAM_RUN_STALE_AFTER_MS, 8000, 'AGENTSTREAM_RUN_STALE_AFTER_MS');
  if (runStaleAfterMs <= runHeartbeatMs) throw new ConfigError(`AGENTSTREAM_RUN_STALE_AFTER_MS (${runStaleAfterMs}) must be larger than AGENTSTREAM_RUN_HEARTBEAT_MS (${runHeartbeatMs}).`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env.PORT, 8000, 'PORT'),
    dataDir,
    databaseFile: env.AGENTSTREAM_DATABASE_FILE,
    databaseUrl: url(env.DATABASE_URL, ['postgres:', 'postgresql:'], 'DATABASE_URL'),
    redisUrl: url(env.REDIS_URL, ['redis:', 'rediss:'], 'REDIS_URL'),
    redisChannelPrefix: env.AGENTSTREAM_REDIS_CHANNEL_PREFIX || 'agentstream',
    runHeartbeatMs,
    runStaleAfterMs,
    followResyncMs: integer(env.AGENTSTREAM_FOLLOW_RESYNC_MS, 5000, 'AGENTSTREAM_FOLLOW_RESYNC_MS'),
    configFile: env.AGENTSTREAM_CONFIG,
    demoTokenDelayMs: integer(env.DEMO_TOKEN_DELAY_MS, 15, 'DEMO_TOKEN_DELAY_MS'),
    heartbeatMs: integer(env.AGENTSTREAM_HEARTBEAT_MS, 15_000, 'AGENTSTREAM_HEARTBEAT_MS'),
    maxConcurrentRuns: integer(env.AGENTSTREAM_MAX_CONCURRENT_RUNS, 1000, 'AGENTSTREAM_MAX_CONCURRENT_RUNS'),
    runTimeoutMs: integer(env.AGENTSTREAM_RUN_TIMEOUT_MS, 600_000, 'AGENTSTREAM_RUN_TIMEOUT_MS'),
    bodyLimitBytes: integer(env.AGENTSTREAM_BODY_LIMIT_BYTES, 1_048_576, 'AGENTSTREAM_BODY_LIMIT_BYTES'),
    requestTimeoutMs: positive(env.AGENTSTREAM_REQUEST_TIMEOUT_MS, 60_000, 'AGENTSTREAM_REQUEST_TIMEOUT_MS'),
    stalledReaderMs: positive(env.AGENTSTREAM_STALLED_READER_MS, 60_000, 'AGENTSTREAM_STALLED_READER_MS'),
    maxStreamsPerClient: integer(env.AGENTSTREAM_MAX_STREAMS_PER_CLIENT, 256, 'AGENTSTREAM_MAX_STREAMS_PER_CLIENT'),
    maxEventLoopDelayMs: integer(env.AGENTSTREAM_MAX_EVENT_LOOP_DELAY_MS, 0, 'AGENTSTREAM_MAX_EVENT_LOOP_DELAY_MS'),
    maxOpenStreams: integer(env.AGENTSTREAM_MAX_OPEN_STREAMS, 20_000, 'AGENTSTREAM_MAX_OPEN_STREAMS'),
    // The Dedalus document's frontends (localhost:3000, :3001) and Vite's dev server for web/ (localhost:5173).
    corsOrigins: (env.AGENTSTREAM_CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:3001,http://localhost:5173').split(',').map((origin) => origin.trim()).filter(Boolean),
    apiKey: env.AGENTSTREAM_API_KEY || undefined,
    apiKeys: env.AGENTSTREAM_API_KEYS || undefined,
    adminKey: env.AGENTSTREAM_ADMIN_KEY || undefined,
    jwtSecret: env.AGENTSTREAM_JWT_SECRET || undefined,
    jwksUrl: url(env.AGENTSTREAM_JWKS_URL, ['https:', 'http:'], 'AGENTSTREAM_JWKS_URL'),
    jwtTenantClaim: env.AGENTSTREAM_JWT_TENANT_CLAIM || 'tenant',
    jwtIssuer: env.AGENTSTREAM_JWT_ISSUER || undefined,
    jwtAudience: env.AGENTSTREAM_JWT_AUDIENCE || undefined,
    allowedHosts: (env.AGENTSTREAM_ALLOWED_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean),
    insecure: env.AGENTSTREAM_INSECURE === '1' || env.AGENTSTREAM_INSECURE === 'true',
    tlsCert: env.AGENTSTREAM_TLS_CERT || undefined,
    tlsKey: env.AGENTSTREAM_TLS_KEY || undefined,
    rateLimit: env.AGENTSTREAM_RATE_LIMIT || undefined,
    rateLimitRuns: env.AGENTSTREAM_RATE_LIMIT_RUNS ? positive(env.AGENTSTREAM_RATE_LIMIT_RUNS, 1, 'AGENTSTREAM_RATE_LIMIT_RUNS') : undefined,
    tokenBudget: env.AGENTSTREAM_TOKEN_BUDGET ? positive(env.AGENTSTREAM_TOKEN_BUDGET, 1, 'AGENTSTREAM_TOKEN_BUDGET') : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    webDir: resolve(cwd, env.AGENTSTREAM_WEB_DIR ?? 'web/dist'),
    defaultModel: env.AGENTSTREAM_DEFAULT_MODEL || undefined,
    stallTimeoutMs: positive(env.AGENTSTREAM_STALL_TIMEOUT_MS, 60_000, 'AGENTSTREAM_STALL_TIMEOUT_MS'),
    modelMaxRetries: integer(env.AGENTSTREAM_MODEL_MAX_RETRIES, 3, 'AGENTSTREAM_MODEL_MAX_RETRIES'),
    modelRetryBaseDelayMs: integer(env.AGENTSTREAM_MODEL_RETRY_BASE_MS, 500, 'AGENTSTREAM_MODEL_RETRY_BASE_MS'),
    modelRetryMaxDelayMs: integer(env.AGENTSTREAM_MODEL_RETRY_MAX_MS, 30_000, 'AGENTSTREAM_MODEL_RETRY_MAX_MS'),
    mcpConnectTimeoutMs: positive(env.AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS, 10_000, 'AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS'),
    mcpCallTimeoutMs: positive(env.AGENTSTREAM_MCP_TIMEOUT_MS, 60_000, 'AGENTSTREAM_MCP_TIMEOUT_MS'),
    role: role(env.AGENTSTREAM_ROLE),
    workerConcurrency: positive(env.AGENTSTREAM_WORKER_CONCURRENCY, 50, 'AGENTSTREAM_WORKER_CONCURRENCY'),
    shutdownGraceMs: integer(env.AGENTSTREAM_SHUTDOWN_GRACE_MS, 10_000, 'AGENTSTREAM_SHUTDOWN_GRACE_MS'),
    maxRunAttempts: positive(env.AGENTSTREAM_MAX_RUN_ATTEMPTS, 3, 'AGENTSTREAM_MAX_RUN_ATTEMPTS'),
    workerLockMs: positive(env.AGENTSTREAM_WORKER_LOCK_MS, 10_000, 'AGENTSTREAM_WORKER_LOCK_MS'),
    env,
  };
}

function role(value: string | undefined): ServerRole {
  if (value === undefined || value === '') return 'all';
  if (value === 'all' || value === 'api' || value === 'worker') return value;
  throw new ConfigError(`AGENTSTREAM_ROLE must be all, api or worker, got '${value}'.`);
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'.`);
  return parsed;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  const parsed = integer(value, fallback, name);
  if (parsed === 0) throw new Error(`${name} must be a positive integer, got '${value}'.`);
  return parsed;
}

function url(value: string | undefined, protocols: string[], name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new ConfigError(`${name} is not a URL.`);
  }
  if (!protocols.includes(protocol)) throw new ConfigError(`${name} must start with ${protocols.map((allowed) => `${allowed}//`).join(' or ')}, got '${protocol}//…'.`);
  return value;
}
