import { z } from 'zod';
import { ConfigError } from './load-config-file.ts';

// Every variable the server reads, in one zod schema: the parse, the defaults, the error text and the list of
// known `AGENTSTREAM_*` names (for the unknown-variable warning) all come from here. A new variable is a new key.

/** Unset and empty are the same: the default. */
const unset = (value: unknown) => (value === '' ? undefined : value);

function integer(fallback: number, options: { min?: number; max?: number } = {}) {
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range = max === Number.MAX_SAFE_INTEGER ? (min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`) : `an integer from ${min} to ${max}`;
  return z.preprocess(unset, z.string().optional().transform((value, context) => {
    if (value === undefined) return fallback;
    const parsed = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
      context.addIssue({ code: 'custom', message: `must be ${range}, got '${value}'` });
      return z.NEVER;
    }
    return parsed;
  }));
}

function text(fallback: string) {
  return z.preprocess(unset, z.string().default(fallback));
}

const optionalText = z.preprocess(unset, z.string().optional());

function url(protocols: string[]) {
  return z.preprocess(unset, z.string().optional().superRefine((value, context) => {
    if (value === undefined) return;
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      context.addIssue({ code: 'custom', message: 'is not a URL' });
      return;
    }
    if (!protocols.includes(protocol)) context.addIssue({ code: 'custom', message: `must start with ${protocols.map((allowed) => `${allowed}//`).join(' or ')}, got '${protocol}//…'` });
  }));
}

/** Unset: undefined; else a positive integer. */
function positiveOrUndefined(value: string | undefined, context: z.RefinementCtx): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.trim());
  if (!Number.isInteger(parsed) || parsed < 1) {
    context.addIssue({ code: 'custom', message: `must be a positive integer, got '${value}'` });
    return z.NEVER;
  }
  return parsed;
}

const list = (fallback: string) => text(fallback).transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean));

export const ENV_SCHEMA = z.object({
  HOST: text('127.0.0.1'),
  PORT: integer(8000, { max: 65_535 }),
  LOG_LEVEL: z.preprocess((value) => (typeof value === 'string' ? unset(value.trim().toLowerCase()) : value), z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { error: 'must be one of trace, debug, info, warn, error, fatal, silent' }).default('info')),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  DEMO_TOKEN_DELAY_MS: integer(15),
  AGENTSTREAM_DATA_DIR: text('data'),
  AGENTSTREAM_DATABASE_FILE: optionalText,
  AGENTSTREAM_REDIS_CHANNEL_PREFIX: text('agentstream'),
  AGENTSTREAM_RUN_HEARTBEAT_MS: integer(2000, { min: 1 }),
  AGENTSTREAM_RUN_STALE_AFTER_MS: integer(8000, { min: 1 }),
  AGENTSTREAM_FOLLOW_RESYNC_MS: integer(5000),
  AGENTSTREAM_CONFIG: optionalText,
  AGENTSTREAM_HEARTBEAT_MS: integer(15_000),
  AGENTSTREAM_MAX_CONCURRENT_RUNS: integer(1000),
  AGENTSTREAM_RUN_TIMEOUT_MS: integer(600_000),
  AGENTSTREAM_BODY_LIMIT_BYTES: integer(1_048_576),
  AGENTSTREAM_REQUEST_TIMEOUT_MS: integer(60_000, { min: 1 }),
  // The Dedalus document's frontends (localhost:3000, :3001) and Vite's dev server for web/ (localhost:5173).
  AGENTSTREAM_CORS_ORIGINS: list('http://localhost:3000,http://localhost:3001,http://localhost:5173'),
  AGENTSTREAM_API_KEY: optionalText,
  AGENTSTREAM_WEB_DIR: text('web/dist'),
  AGENTSTREAM_DEFAULT_MODEL: optionalText,
  AGENTSTREAM_STALL_TIMEOUT_MS: integer(60_000, { min: 1 }),
  AGENTSTREAM_MODEL_MAX_RETRIES: integer(3),
  AGENTSTREAM_MODEL_RETRY_BASE_MS: integer(500),
  AGENTSTREAM_MODEL_RETRY_MAX_MS: integer(30_000),
  AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS: integer(10_000, { min: 1 }),
  AGENTSTREAM_MCP_TIMEOUT_MS: integer(60_000, { min: 1 }),
  AGENTSTREAM_ROLE: z.preprocess(unset, z.enum(['all', 'api', 'worker'], { error: 'must be all, api or worker' }).default('all')),
  AGENTSTREAM_WORKER_CONCURRENCY: integer(50, { min: 1 }),
  AGENTSTREAM_SHUTDOWN_GRACE_MS: integer(10_000),
  AGENTSTREAM_MAX_RUN_ATTEMPTS: integer(3, { min: 1 }),
  AGENTSTREAM_INPUT_TIMEOUT_MS: integer(86_400_000),
  AGENTSTREAM_INPUT_SWEEP_MS: integer(1000, { min: 1 }),
  AGENTSTREAM_WORKER_LOCK_MS: integer(10_000, { min: 1 }),
  AGENTSTREAM_STALLED_READER_MS: integer(60_000, { min: 1 }),
  AGENTSTREAM_MAX_STREAMS_PER_CLIENT: integer(256),
  AGENTSTREAM_MAX_EVENT_LOOP_DELAY_MS: integer(0),
  AGENTSTREAM_MAX_OPEN_STREAMS: integer(20_000),
  AGENTSTREAM_API_KEYS: optionalText,
  AGENTSTREAM_ADMIN_KEY: optionalText,
  AGENTSTREAM_JWT_SECRET: optionalText,
  AGENTSTREAM_JWKS_URL: url(['https:', 'http:']),
  AGENTSTREAM_JWT_TENANT_CLAIM: text('tenant'),
  AGENTSTREAM_JWT_ISSUER: optionalText,
  AGENTSTREAM_JWT_AUDIENCE: optionalText,
  AGENTSTREAM_ALLOWED_HOSTS: list(''),
  AGENTSTREAM_INSECURE: optionalText,
  AGENTSTREAM_TLS_CERT: optionalText,
  AGENTSTREAM_TLS_KEY: optionalText,
  AGENTSTREAM_RATE_LIMIT: optionalText,
  AGENTSTREAM_RATE_LIMIT_RUNS: z.preprocess(unset, z.string().optional()).transform((value, context) => positiveOrUndefined(value, context)),
  AGENTSTREAM_TOKEN_BUDGET: z.preprocess(unset, z.string().optional()).transform((value, context) => positiveOrUndefined(value, context)),
  AGENTSTREAM_WEBHOOK_ALLOWLIST: list(''),
  AGENTSTREAM_WEBHOOK_SECRET: optionalText,
  AGENTSTREAM_WEBHOOK_RETRY_DELAYS_MS: text('1000,5000,30000,120000,600000').transform((value, context) => {
    const delays = value.split(',').map((entry) => entry.trim()).filter(Boolean).map(Number);
    if (delays.some((delay) => !Number.isInteger(delay) || delay < 0)) {
      context.addIssue({ code: 'custom', message: `must be comma-separated non-negative integers (ms), got '${value}'` });
      return z.NEVER;
    }
    return delays;
  }),
  AGENTSTREAM_WEBHOOK_TIMEOUT_MS: integer(10_000, { min: 1 }),
  AGENTSTREAM_WEBHOOK_POLL_MS: integer(1000, { min: 1 }),
  AGENTSTREAM_SCHEDULER_TICK_MS: integer(1000, { min: 1 }),
  // Read by the test suites only (PostgreSQL and Redis to test against); listed so they do not warn.
  AGENTSTREAM_TEST_DATABASE_URL: optionalText,
  AGENTSTREAM_TEST_REDIS_URL: optionalText,
});

export type ParsedEnv = z.infer<typeof ENV_SCHEMA>;

/** Parses the environment; a bad value is one `ConfigError` line naming the variable: `PORT must be …, got 'x'.` */
export function parseEnv(env: Record<string, string | undefined>): ParsedEnv {
  const result = ENV_SCHEMA.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConfigError(`${String(issue.path[0])} ${issue.message}.`);
}
