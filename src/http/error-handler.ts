import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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
export function toErrorResponse(error: unknown, log: Logger): { status: number; body: { error: { code: ErrorCode; message: string; details?: unknown } }; headers?: Record<string, string> } {
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

// Node's HTTP parser errors (https://nodejs.org/api/http.html#event-clienterror) that have a status of their own.
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
};

/**
 * Answers a request Node refused before any route saw it (not HTTP, headers too large, headers or body too
 * slow) with our JSON error shape, then closes the connection, which may be mid-request and cannot be reused.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, message: `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).` };
  const body = JSON.stringify({ error: { code: 'bad_request', message: known.message } });
  // Never into an answer already under way on this socket (the stream of an earlier pipelined request): as
  // Node's own handler, write only when no response has started, so the peer never reads a corrupted one.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(`HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
