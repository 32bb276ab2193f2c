import { resolve } from 'node:path';

/** Everything the server needs to start; `main.ts` builds it from the environment, tests build it directly. */
export type ServerConfig = {
  host: string;
  port: number;
  dataDir: string;
  /** `:memory:` or a file path; defaults to `<dataDir>/agentstream.db`. */
  databaseFile?: string;
  configFile?: string;
  demoTokenDelayMs: number;
  heartbeatMs: number;
  maxConcurrentRuns: number;
  runTimeoutMs: number;
  bodyLimitBytes: number;
  corsOrigins: string[];
  apiKey?: string;
  logLevel: string;
  webDir?: string;
  defaultModel?: string;
  env: Record<string, string | undefined>;
};

/** Reads the environment. Unset values get the embedded defaults: 127.0.0.1:8000, SQLite under ./data, the demo model. */
export function configFromEnv(env: Record<string, string | undefined>, cwd = process.cwd()): ServerConfig {
  const dataDir = resolve(cwd, env.AGENTSTREAM_DATA_DIR ?? 'data');
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env.PORT, 8000, 'PORT'),
    dataDir,
    databaseFile: env.AGENTSTREAM_DATABASE_FILE,
    configFile: env.AGENTSTREAM_CONFIG,
    demoTokenDelayMs: integer(env.DEMO_TOKEN_DELAY_MS, 15, 'DEMO_TOKEN_DELAY_MS'),
    heartbeatMs: integer(env.AGENTSTREAM_HEARTBEAT_MS, 15_000, 'AGENTSTREAM_HEARTBEAT_MS'),
    maxConcurrentRuns: integer(env.AGENTSTREAM_MAX_CONCURRENT_RUNS, 1000, 'AGENTSTREAM_MAX_CONCURRENT_RUNS'),
    runTimeoutMs: integer(env.AGENTSTREAM_RUN_TIMEOUT_MS, 600_000, 'AGENTSTREAM_RUN_TIMEOUT_MS'),
    bodyLimitBytes: integer(env.AGENTSTREAM_BODY_LIMIT_BYTES, 1_048_576, 'AGENTSTREAM_BODY_LIMIT_BYTES'),
    corsOrigins: (env.AGENTSTREAM_CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:3001').split(',').map((origin) => origin.trim()).filter(Boolean),
    apiKey: env.AGENTSTREAM_API_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    webDir: resolve(cwd, env.AGENTSTREAM_WEB_DIR ?? 'web/dist'),
    defaultModel: env.AGENTSTREAM_DEFAULT_MODEL || undefined,
    env,
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'.`);
  return parsed;
}
