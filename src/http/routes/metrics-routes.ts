import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import type { AppDeps } from '../app-deps.ts';
import { openSseWriterCount } from '../sse-writer.ts';

/**
 * Prometheus text at `/metrics`. When keys are configured the scrape needs one: `config.metricsKey` (the admin key,
 * once per-tenant keys exist) or else the API key, which the global key check already asks for.
 */
export function metricsRoutes(deps: Pick<AppDeps, 'metrics' | 'config'>) {
  return async (app: FastifyInstance) => {
    app.get('/metrics', {
      schema: {
        tags: ['health'], summary: 'Prometheus metrics (text exposition format)', operationId: 'getMetrics',
        response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    }, async (request, reply) => {
      if (deps.config.metricsKey) checkKey(request, deps.config.metricsKey);
      deps.metrics.openStreams.set(openSseWriterCount());
      return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
    });
  };
}

function checkKey(request: FastifyRequest, key: string): void {
  const header = request.headers.authorization;
  const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : request.headers['x-api-key'];
  const buffer = Buffer.from(typeof given === 'string' ? given : '');
  const expected = Buffer.from(key);
  if (buffer.length !== expected.length || !timingSafeEqual(buffer, expected)) throw new AppError('unauthorized');
}
