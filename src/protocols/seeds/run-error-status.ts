import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.ts';
import type { PublicError } from '../../events/run-event.ts';

/**
 * The HTTP status a JSON seed route answers for a run that did not complete: its error code's status from
 * the catalogue (504 for `timeout`, 502 for the provider…), 409 for `cancelled`, 500 for anything else.
 */
export function runErrorStatus(error: PublicError): number {
  if (error.code === 'cancelled') return 409;
  return error.code in ERROR_CODES ? ERROR_CODES[error.code as ErrorCode].status : 500;
}
