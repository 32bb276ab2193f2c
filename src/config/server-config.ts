import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './load-config-file.ts';
import { ENV_SCHEMA, parseEnv } from './env-schema.ts';

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
  /** A run paused for input with no answer for this long (ms) fails `input_timeout`; 0: it waits forever. */
  inputTimeoutMs: number;
  /** How often (ms) an API instance looks for paused runs past their deadline. */
  inputSweepMs: number;
  /** How long (ms) a worker's hold on a job lasts without renewal: a dead worker's runs move to another within ~1.5x this. */
  workerLockMs: number;
  /** `AGENTSTREAM_WEBHOOK_ALLOWLIST`: origins or URL prefixes a run's webhook may name; empty, webhooks are refused. */
  webhookAllowlist: string[];
  /** `AGENTSTREAM_WEBHOOK_SECRET`: `whsec_<base64>`, signs every delivery; required with an allowlist. */
  webhookSecret?: string;
  /** Waits (ms) before each retry of a failed delivery; attempt 1 goes at once. */
  webhookRetryDelaysMs: number[];
  /** Longest wait for one delivery attempt (ms). */
  webhookTimeoutMs: number;
  /** How often (ms) due webhook deliveries are looked for. */
  webhookPollMs: number;
  /** How often (ms) due schedules are looked for. */
  schedulerTickMs: number;
  env: Record<string, string | undefined>;
};

export type ServerRole = 'all' | 'api' | 'worker';

// The UI built into this package: web/dist two levels above src/config/ in the repo, and above dist/src/config/ when installed.
const PACKAGED_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * `AGENTSTREAM_WEB_DIR` against `cwd`. Unset, it is `./web/dist` when that exists (the repo, a clone), else the
 * package's own build: a project that installed agentstream from a registry serves the UI too.
 */
function webDirOf(env: Record<string, string | undefined>, cwd: string, configured: string): string {
  const webDir = resolve(cwd, configured);
  if (env.AGENTSTREAM_WEB_DIR !== undefined || existsSync(webDir) || !existsSync(PACKAGED_WEB_DIR)) return webDir;
  return PACKAGED_WEB_DIR;
}

/** Reads the environment (through the one zod schema, `env-schema.ts`). Unset values get the embedded defaults: 127.0.0.1:8000, SQLite under ./data, the demo model. */
export function configFromEnv(env: Record<string, string | undefined>, cwd = process.cwd()): ServerConfig {
  const parsed = parseEnv(env);
  if (parsed.AGENTSTREAM_RUN_STALE_AFTER_MS <= parsed.AGENTSTREAM_RUN_HEARTBEAT_MS) {
    throw new ConfigError(`AGENTSTREAM_RUN_STALE_AFTER_MS (${parsed.AGENTSTREAM_RUN_STALE_AFTER_MS}) must be larger than AGENTSTREAM_RUN_HEARTBEAT_MS (${parsed.AGENTSTREAM_RUN_HEARTBEAT_MS}).`);
  }
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    dataDir: resolve(cwd, parsed.AGENTSTREAM_DATA_DIR),
    databaseFile: parsed.AGENTSTREAM_DATABASE_FILE,
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    redisChannelPrefix: parsed.AGENTSTREAM_REDIS_CHANNEL_PREFIX,
    runHeartbeatMs: parsed.AGENTSTREAM_RUN_HEARTBEAT_MS,
    runStaleAfterMs: parsed.AGENTSTREAM_RUN_STALE_AFTER_MS,
    followResyncMs: parsed.AGENTSTREAM_FOLLOW_RESYNC_MS,
    configFile: parsed.AGENTSTREAM_CONFIG,
    demoTokenDelayMs: parsed.DEMO_TOKEN_DELAY_MS,
    heartbeatMs: parsed.AGENTSTREAM_HEARTBEAT_MS,
    maxConcurrentRuns: parsed.AGENTSTREAM_MAX_CONCURRENT_RUNS,
    runTimeoutMs: parsed.AGENTSTREAM_RUN_TIMEOUT_MS,
    bodyLimitBytes: parsed.AGENTSTREAM_BODY_LIMIT_BYTES,
    requestTimeoutMs: parsed.AGENTSTREAM_REQUEST_TIMEOUT_MS,
    corsOrigins: parsed.AGENTSTREAM_CORS_ORIGINS,
    apiKey: parsed.AGENTSTREAM_API_KEY,
    logLevel: parsed.LOG_LEVEL,
    webDir: webDirOf(env, cwd, parsed.AGENTSTREAM_WEB_DIR),
    defaultModel: parsed.AGENTSTREAM_DEFAULT_MODEL,
    stallTimeoutMs: parsed.AGENTSTREAM_STALL_TIMEOUT_MS,
    modelMaxRetries: parsed.AGENTSTREAM_MODEL_MAX_RETRIES,
    modelRetryBaseDelayMs: parsed.AGENTSTREAM_MODEL_RETRY_BASE_MS,
    modelRetryMaxDelayMs: parsed.AGENTSTREAM_MODEL_RETRY_MAX_MS,
    mcpConnectTimeoutMs: parsed.AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS,
    mcpCallTimeoutMs: parsed.AGENTSTREAM_MCP_TIMEOUT_MS,
    role: parsed.AGENTSTREAM_ROLE,
    workerConcurrency: parsed.AGENTSTREAM_WORKER_CONCURRENCY,
    shutdownGraceMs: parsed.AGENTSTREAM_SHUTDOWN_GRACE_MS,
    maxRunAttempts: parsed.AGENTSTREAM_MAX_RUN_ATTEMPTS,
    inputTimeoutMs: parsed.AGENTSTREAM_INPUT_TIMEOUT_MS,
    inputSweepMs: parsed.AGENTSTREAM_INPUT_SWEEP_MS,
    workerLockMs: parsed.AGENTSTREAM_WORKER_LOCK_MS,
    stalledReaderMs: parsed.AGENTSTREAM_STALLED_READER_MS,
    maxStreamsPerClient: parsed.AGENTSTREAM_MAX_STREAMS_PER_CLIENT,
    maxEventLoopDelayMs: parsed.AGENTSTREAM_MAX_EVENT_LOOP_DELAY_MS,
    maxOpenStreams: parsed.AGENTSTREAM_MAX_OPEN_STREAMS,
    apiKeys: parsed.AGENTSTREAM_API_KEYS,
    adminKey: parsed.AGENTSTREAM_ADMIN_KEY,
    jwtSecret: parsed.AGENTSTREAM_JWT_SECRET,
    jwksUrl: parsed.AGENTSTREAM_JWKS_URL,
    jwtTenantClaim: parsed.AGENTSTREAM_JWT_TENANT_CLAIM,
    jwtIssuer: parsed.AGENTSTREAM_JWT_ISSUER,
    jwtAudience: parsed.AGENTSTREAM_JWT_AUDIENCE,
    allowedHosts: parsed.AGENTSTREAM_ALLOWED_HOSTS,
    insecure: parsed.AGENTSTREAM_INSECURE === '1' || parsed.AGENTSTREAM_INSECURE === 'true',
    tlsCert: parsed.AGENTSTREAM_TLS_CERT,
    tlsKey: parsed.AGENTSTREAM_TLS_KEY,
    rateLimit: parsed.AGENTSTREAM_RATE_LIMIT,
    rateLimitRuns: parsed.AGENTSTREAM_RATE_LIMIT_RUNS,
    tokenBudget: parsed.AGENTSTREAM_TOKEN_BUDGET,
    webhookAllowlist: parsed.AGENTSTREAM_WEBHOOK_ALLOWLIST,
    webhookSecret: parsed.AGENTSTREAM_WEBHOOK_SECRET,
    webhookRetryDelaysMs: parsed.AGENTSTREAM_WEBHOOK_RETRY_DELAYS_MS,
    webhookTimeoutMs: parsed.AGENTSTREAM_WEBHOOK_TIMEOUT_MS,
    webhookPollMs: parsed.AGENTSTREAM_WEBHOOK_POLL_MS,
    schedulerTickMs: parsed.AGENTSTREAM_SCHEDULER_TICK_MS,
    env,
  };
}

/** `AGENTSTREAM_*` variables the schema does not know: a typo (`AGENTSTREAM_PORT`) warns instead of being silently ignored. */
export function unknownEnvVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set(Object.keys(ENV_SCHEMA.shape));
  return Object.keys(env).filter((name) => name.startsWith('AGENTSTREAM_') && !known.has(name)).sort();
}
