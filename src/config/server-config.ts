import { resolve } from 'node:path';
import { ConfigError } from './load-config-file.ts';

/** Everything the server needs to start; `main.ts` builds it from the environment, tests build it directly. */
export type ServerConfig = {
  /** `AGENTSTREAM_ROLE` (`agentstream serve --role`): `all` (default) serves the API and executes runs; `api` / `worker` split them (durable runs). */
  role: 'all' | 'api' | 'worker';
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
  env: Record<string, string | undefined>;
};

/** Reads the environment. Unset values get the embedded defaults: 127.0.0.1:8000, SQLite under ./data, the demo model. */
export function configFromEnv(env: Record<string, string | undefined>, cwd = process.cwd()): ServerConfig {
  const dataDir = resolve(cwd, env.AGENTSTREAM_DATA_DIR ?? 'data');
  const runHeartbeatMs = positive(env.AGENTSTREAM_RUN_HEARTBEAT_MS, 5000, 'AGENTSTREAM_RUN_HEARTBEAT_MS');
  const runStaleAfterMs = positive(env.AGENTSTREAM_RUN_STALE_AFTER_MS, 20_000, 'AGENTSTREAM_RUN_STALE_AFTER_MS');
  if (runStaleAfterMs <= runHeartbeatMs) throw new ConfigError(`AGENTSTREAM_RUN_STALE_AFTER_MS (${runStaleAfterMs}) must be larger than AGENTSTREAM_RUN_HEARTBEAT_MS (${runHeartbeatMs}).`);
  const role = env.AGENTSTREAM_ROLE || 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') throw new ConfigError(`AGENTSTREAM_ROLE must be all, api or worker, got '${role}'.`);
  return {
    role,
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
    corsOrigins: (env.AGENTSTREAM_CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:3001').split(',').map((origin) => origin.trim()).filter(Boolean),
    apiKey: env.AGENTSTREAM_API_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    webDir: resolve(cwd, env.AGENTSTREAM_WEB_DIR ?? 'web/dist'),
    defaultModel: env.AGENTSTREAM_DEFAULT_MODEL || undefined,
    stallTimeoutMs: positive(env.AGENTSTREAM_STALL_TIMEOUT_MS, 60_000, 'AGENTSTREAM_STALL_TIMEOUT_MS'),
    modelMaxRetries: integer(env.AGENTSTREAM_MODEL_MAX_RETRIES, 3, 'AGENTSTREAM_MODEL_MAX_RETRIES'),
    modelRetryBaseDelayMs: integer(env.AGENTSTREAM_MODEL_RETRY_BASE_MS, 500, 'AGENTSTREAM_MODEL_RETRY_BASE_MS'),
    modelRetryMaxDelayMs: integer(env.AGENTSTREAM_MODEL_RETRY_MAX_MS, 30_000, 'AGENTSTREAM_MODEL_RETRY_MAX_MS'),
    mcpConnectTimeoutMs: positive(env.AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS, 10_000, 'AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS'),
    mcpCallTimeoutMs: positive(env.AGENTSTREAM_MCP_TIMEOUT_MS, 60_000, 'AGENTSTREAM_MCP_TIMEOUT_MS'),
    env,
  };
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
