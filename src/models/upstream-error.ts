import { AppError } from '../errors/app-error.ts';

/** Marks an abort so callers can tell a cancel or timeout from a provider failure. */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * Turns whatever a provider threw into an AppError that says what happened upstream, without leaking
 * internals. Aborts pass through untouched: the run manager decides what an abort means.
 */
export function toUpstreamError(error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof AppError || isAbortError(error, signal)) return error;
  const status = typeof (error as { statusCode?: unknown })?.statusCode === 'number' ? (error as { statusCode: number }).statusCode : undefined;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'The model stream failed.';
  if (status === 401 || status === 403) return new AppError('upstream_auth', { message: `The model provider rejected the API key (${status}): ${message}`, cause: error });
  return new AppError('upstream_error', { message: `The model provider failed${status ? ` (${status})` : ''}: ${message}`, cause: error });
}
