import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';

/** Liveness (the process answers) and readiness (its store answers, it is not shutting down, its run queue answers). */
export function healthRoutes(deps: Pick<AppDeps, 'store' | 'bus' | 'runs' | 'config' | 'executor'>) {
  return async (app: FastifyInstance) => {
    app.get('/health', { schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({ status: 'ok', version: deps.config.version }));
    app.get('/ready', { schema: { tags: ['health'], summary: 'Readiness: the store and the run queue answer' } }, async (_request, reply) => {
      const executor = deps.executor;
      const queue = executor ? { executor: executor.kind, queue: executor.kind === 'queue' ? (executor.accepting ? 'up' : 'down') : undefined } : {};
      if (deps.runs.closing) {
        return reply.status(503).header('retry-after', '5').send({ error: { code: 'shutting_down', message: 'The server is shutting down.' } });
      }
      try {
        await deps.store.ping();
      } catch (error) {
        return reply.status(503).send({ error: { code: 'not_ready', message: `The store did not answer: ${String(error)}`, details: { store: 'down', ...queue } } });
      }
      if (executor && !executor.accepting) {
        // Finished runs and replays still work from the store; new runs cannot start until the queue answers.
        return reply.status(503).send({ error: { code: 'not_ready', message: executor.unavailableReason ?? 'The run queue does not answer.', details: { store: 'up', ...queue } } });
      }
      const depth = await executor?.depth().catch(() => undefined);
      return { status: 'ready', store: deps.store.kind, bus: deps.bus.kind, ...queue, activeRuns: deps.runs.activeCount, ...(depth === undefined ? {} : { queueDepth: depth }) };
    });
  };
}
