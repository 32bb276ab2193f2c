import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../logging/logger.ts';

/** An incoming `x-request-id` is kept when it is a plausible id; anything else gets a fresh one. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Query parameters whose values are secrets: the request line shows them as `[redacted]`. */
const SECRET_QUERY = /([?&](?:api_key|apikey|api-key|key|token|access_token)=)[^&#]*/gi;

const runIds = new WeakMap<FastifyRequest, string>();

/** Fastify's `genReqId`: the caller's `x-request-id`, or a new UUID. */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Marks the run a request started or named, so its request line carries the run id. */
export function noteRunId(request: FastifyRequest, runId: string): void {
  runIds.set(request, runId);
}

/**
 * Echoes the request id on every response (hijacked streams copy the reply's headers) and writes one JSON line
 * per request once it is answered: method, path (secrets in the query redacted), status, time, request and run id.
 */
export function registerRequestLog(app: FastifyInstance, log: Logger): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (log.pino && !log.pino.isLevelEnabled('info')) return;
    const params = request.params as Record<string, unknown> | undefined;
    const runId = runIds.get(request) ?? (typeof params?.runId === 'string' ? params.runId : undefined);
    log('info', 'request', {
      reqId: request.id,
      method: request.method,
      url: request.url.replace(SECRET_QUERY, '$1[redacted]'),
      statusCode: reply.raw.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      ...(runId ? { runId } : {}),
    });
  });
}
