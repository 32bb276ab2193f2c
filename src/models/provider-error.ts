import { AppError } from '../errors/app-error.ts';
import { isAbortError } from './upstream-error.ts';

/** Who failed, for messages, and what must never appear in them. */
export type ProviderErrorContext = { label: string; secrets: readonly string[] };

/** Thrown by the retrying wrapper when it gives up: the last failure and how many calls were made. */
export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';
  readonly attempts: number;
  readonly lastError: unknown;
  constructor(lastError: unknown, attempts: number) {
    super(`Gave up after ${attempts} attempts.`);
    this.attempts = attempts;
    this.lastError = lastError;
  }
}

const MAX_MESSAGE_CHARS = 400;

/**
 * What a provider failure means for a run, as an AppError whose message names the provider and is safe
 * to show: secrets are scrubbed (providers echo keys back in 401 messages) and the raw error is not kept
 * as `cause`, so logs cannot leak it either. Aborts pass through: the run manager decides what they mean.
 */
export function toProviderError(error: unknown, context: ProviderErrorContext): unknown {
  if (error instanceof AppError || isAbortError(error)) return error;
  const attempts = error instanceof RetriesExhaustedError ? error.attempts : 1;
  const failure = error instanceof RetriesExhaustedError ? error.lastError : error;
  if (failure instanceof AppError || isAbortError(failure)) return failure;
  const { label } = context;
  // A 2xx status on an error means the body broke after a good start (the SDK's "Failed to process
  // successful response"): what matters then is why, which sits in the cause.
  const rawStatus = statusOf(failure);
  const status = rawStatus !== undefined && rawStatus >= 400 ? rawStatus : undefined;
  const said = scrub(messageOf(failure), context.secrets);
  const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
  if (status === 401 || status === 403) {
    return new AppError('upstream_auth', { message: `${label} rejected the API key (${status}): ${said}. Check the ${label} key in the environment or config file.`, details: { provider: label, status } });
  }
  if (status === 429) return new AppError('upstream_error', { message: `${label} is rate limiting requests (429)${tries}: ${said}`, details: { provider: label, status } });
  if (status !== undefined) return new AppError('upstream_error', { message: `${label} returned ${status}${tries}: ${said}`, details: { provider: label, status } });
  const name = failure instanceof Error ? failure.name : '';
  if (name === 'AI_JSONParseError' || name === 'AI_TypeValidationError') {
    return new AppError('upstream_error', { message: `${label} sent a malformed stream chunk: ${said}`, details: { provider: label } });
  }
  const cut = cutConnectionReason(failure);
  if (cut !== undefined) {
    return new AppError('upstream_error', { message: `The connection to ${label} was cut mid-stream (${scrub(cut, context.secrets)}).`, details: { provider: label } });
  }
  if (name === 'AI_APICallError') return new AppError('model_unavailable', { message: `${label} could not be reached${tries}: ${said}`, details: { provider: label } });
  return new AppError('upstream_error', { message: `${label} failed${tries}: ${said}`, details: { provider: label } });
}

/** Replaces every secret in `text` (and any bearer token shape) with `[redacted]`, and bounds its length. */
export function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 4) clean = clean.split(secret).join('[redacted]');
  clean = clean.replace(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g, 'Bearer [redacted]');
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean;
}

/** HTTP status of an AI SDK `APICallError` or a provider stream error object (Anthropic's `error` event). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' && message !== '' ? message : 'no message';
  // undici reports a cut socket as `TypeError: terminated` with the reason in `cause`.
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
  return typeof cause === 'string' && cause !== '' && !text.includes(cause) ? `${text}: ${cause}` : text;
}

/** The innermost reason when the error chain says the socket went away mid-body (undici: `terminated`). */
function cutConnectionReason(error: unknown): string | undefined {
  let reason: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (current.message === 'terminated' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') reason = current.message;
  }
  return reason;
}
