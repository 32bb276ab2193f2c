import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import type { Logger } from '../logging/logger.ts';

// Fastify's own client errors, mapped onto our catalogue so every 4xx has the same shape.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

/** Renders `{ error: { code, message, details? } }`. Anything we did not raise on purpose is a masked 500. */
export function toErrorResponse(error: unknown, log: Logger): { status: number; body: { error: { code: string; message: string; details?: unknown } }; headers?: Record<string, string> } {
  if (error instanceof AppError) {
    return { status: error.status, headers: error.headers, body: { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } } };
  }
  const fastifyError = error as FastifyError;
  const mapped = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return toErrorResponse(new AppError(mapped, { message: mapped === 'malformed_json' ? `The request body is not valid JSON: ${fastifyError.message}` : undefined }), log);
  if (error instanceof SyntaxError) return toErrorResponse(new AppError('malformed_json', { message: `The request body is not valid JSON: ${error.message}` }), log);
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, body: { error: { code: 'bad_request', message: fastifyError.message } } };
  }
  log('error', 'unhandled error', { error: error instanceof Error ? error.stack : String(error) });
  return { status: 500, body: { error: { code: 'internal', message: 'Internal error' } } };
}

export function createErrorHandler(log: Logger) {
  return (error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    const response = toErrorResponse(error, log);
    if (response.headers) reply.headers(response.headers);
    return reply.status(response.status).type('application/json').send(response.body);
  };
}
