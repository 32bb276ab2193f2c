import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.ts';
import type { PublicError } from '../../events/run-event.ts';

// OpenAI's error object: https://platform.openai.com/docs/guides/error-codes (body `{ error: { message, type, param, code } }`).

/** The body of an OpenAI-style error response, and of the error frame a failing stream ends with. */
export type OpenAiErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

/** A status and body in OpenAI's form, for a route to send. */
export type OpenAiErrorResponse = { status: number; body: OpenAiErrorBody };

// Our validation answers 422 elsewhere; OpenAI clients expect 400 for any invalid request.
const INVALID_REQUEST_CODES = new Set(['validation_failed', 'malformed_json', 'bad_request', 'invalid_last_event_id', 'invalid_output_schema', 'images_not_supported']);
const MODEL_NOT_FOUND_CODES = new Set(['agent_not_found', 'team_not_found', 'model_not_found']);

/** OpenAI's error `type` for an HTTP status. */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/**
 * Converts our error response (`{ error: { code, message, details } }` with its status) into OpenAI's form.
 * An unknown agent or team is an unknown `model` (404 `model_not_found`); invalid input is 400 naming the field.
 */
export function toOpenAiError(status: number, error: { code: ErrorCode; message: string; details?: unknown }): OpenAiErrorResponse {
  const httpStatus = INVALID_REQUEST_CODES.has(error.code) ? 400 : status;
  const code = MODEL_NOT_FOUND_CODES.has(error.code) ? 'model_not_found' : error.code;
  const fields = (error.details as { fields?: { field: string }[] } | undefined)?.fields;
  const param = MODEL_NOT_FOUND_CODES.has(error.code) ? 'model' : fields?.[0]?.field ?? null;
  return { status: httpStatus, body: { error: { message: error.message, type: openAiErrorType(httpStatus), param, code } } };
}

/** A run's failure in OpenAI's form: the status its code implies (500 when unknown). */
export function runFailureToOpenAi(error: PublicError): OpenAiErrorResponse {
  const known = (ERROR_CODES as Record<string, { status: number } | undefined>)[error.code];
  return toOpenAiError(known?.status ?? 500, error);
}
