import type { PublicError } from '../events/run-event.ts';
import { AppError } from './app-error.ts';

// Codes whose text is safe and useful to show even though their status is 5xx: they describe an
// upstream or a limit, never our internals.
const SHOWN_SERVER_CODES = new Set(['model_unavailable', 'upstream_error', 'upstream_auth', 'upstream_timeout', 'timeout', 'interrupted', 'tool_failed', 'shutting_down', 'output_schema_mismatch', 'team_failed', 'overloaded', 'worker_lost', 'executor_unavailable']);

/** What a client may see of an error: our own codes keep their message, anything else is masked. */
export function toPublicError(error: unknown): PublicError {
  if (error instanceof AppError && (error.status < 500 || SHOWN_SERVER_CODES.has(error.code))) {
    const publicError: PublicError = { code: error.code, message: error.message };
    if (error.details !== undefined) publicError.details = error.details;
    return publicError;
  }
  return { code: 'internal', message: 'The run failed.' };
}
