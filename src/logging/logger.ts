import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The call shape every module logs with: `log('warn', 'redis connection error', { role })`. A plain function
 * satisfies it (tests pass one to capture entries); `createLogger` returns one backed by pino, with `child`
 * for loggers that stamp their fields (the run id, the `stream_events` name) on every line.
 */
export type Logger = ((level: LogLevel, message: string, fields?: Record<string, unknown>) => void) & {
  child?: (bindings: Record<string, unknown>) => Logger;
  /** The pino instance behind it; Fastify logs through it. Absent for plain-function loggers. */
  pino?: PinoLogger;
};

/** Field paths whose values never reach a log line, wherever a caller puts them. */
const REDACTED_PATHS = [
  'authorization', 'apiKey', 'api_key', 'password', 'secret', 'token',
  '*.authorization', '*.apiKey', '*.api_key', '*.password', '*.secret', '*.token', '*["x-api-key"]',
  'headers.authorization', 'headers["x-api-key"]', 'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
];

/** Env variables whose values are secrets: provider keys, our own keys, passwords, tokens. */
const SECRET_ENV = /(_API_KEY|_API_KEYS|_ADMIN_KEY|_SECRET|_TOKEN|_PASSWORD)$/;

export type LoggerOptions = {
  /** `LOG_LEVEL`: debug, info (default), warn, error or silent. */
  level?: string;
  /** Where lines go; stderr by default. Tests capture them. */
  write?: (line: string) => void;
  /** Values to scrub from every line even when they turn up inside a message (keys from the environment). */
  secrets?: readonly string[];
};

/**
 * One JSON line per entry (`{"level":"info","time":"…","message":"…",…}`) through pino. Secrets are removed twice:
 * by field path (headers, `apiKey`…) and by value, so a key pasted into an error message is scrubbed too.
 */
export function createLogger(level: string | LoggerOptions = 'info', write?: (line: string) => void): Logger {
  const options: LoggerOptions = typeof level === 'string' ? { level, write } : level;
  const secrets = [...new Set((options.secrets ?? []).filter((secret) => secret.length >= 6))];
  const destination: DestinationStream = { write: options.write ?? ((line: string) => void process.stderr.write(line)) };
  const instance = pino({
    level: normalizeLevel(options.level ?? 'info'),
    messageKey: 'message',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(secrets.length > 0 ? { hooks: { streamWrite: (line: string) => scrub(line, secrets) } } : {}),
  }, destination);
  return fromPino(instance);
}

/** Secret values of an environment (provider keys and the like), for `LoggerOptions.secrets`. */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).filter(([name, value]) => SECRET_ENV.test(name) && value).flatMap(([, value]) => value!.split(',').map((part) => part.split(':').at(-1)!.trim()));
}

/** A logger whose lines all carry `bindings`; works for plain-function loggers too. */
export function childLogger(log: Logger, bindings: Record<string, unknown>): Logger {
  if (log.child) return log.child(bindings);
  return (level, message, fields) => log(level, message, { ...bindings, ...fields });
}

function fromPino(instance: PinoLogger): Logger {
  const log: Logger = (level, message, fields) => {
    if (fields) instance[level](fields, message);
    else instance[level](message);
  };
  log.child = (bindings) => fromPino(instance.child(bindings));
  log.pino = instance;
  return log;
}

function normalizeLevel(level: string): string {
  const lower = level.toLowerCase();
  return ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(lower) ? lower : 'info';
}

function scrub(line: string, secrets: readonly string[]): string {
  let text = line;
  for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join('[redacted]');
  return text;
}
