import { resolve } from 'node:path';
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
  corsOrigins: string[];
  apiKey?: string;
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
    webDir: resolve(cwd, parsed.AGENTSTREAM_WEB_DIR),
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
    workerLockMs: parsed.AGENTSTREAM_WORKER_LOCK_MS,
    env,
  };
}

/** `AGENTSTREAM_*` variables the schema does not know: a typo (`AGENTSTREAM_PORT`) warns instead of being silently ignored. */
export function unknownEnvVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set(Object.keys(ENV_SCHEMA.shape));
  return Object.keys(env).filter((name) => name.startsWith('AGENTSTREAM_') && !known.has(name)).sort();
}
