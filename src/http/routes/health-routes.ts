import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';

/** Liveness (the process answers) and readiness (its store answers). */
export function healthRoutes(deps: Pick<AppDeps, 'store' | 'bus' | 'runs' | 'config'>) {
  return async (app: FastifyInstance) => {
    app.get('/health', { schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({ status: 'ok', version: deps.config.version }));
    app.get('/ready', { schema: { tags: ['health'], summary: 'Readiness: the store answers' } }, async (_request, reply) => {
      try {
        await deps.store.ping();
        return { status: 'ready', store: deps.store.kind, bus: deps.bus.kind, activeRuns: deps.runs.activeCount };
      } catch (error) {
        return reply.status(503).send({ error: { code: 'not_ready', message: `The store did not answer: ${String(error)}` } });
      }
    });
  };
}
