import type { JsonValue } from '../events/run-event.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** An error we raised on purpose: its code comes from the catalogue, its status follows from the code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: JsonValue;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, options: { message?: string; cause?: unknown; details?: JsonValue; headers?: Record<string, string> } = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
