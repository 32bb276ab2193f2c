import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';

/** Liveness (the process answers) and readiness (its store answers, it is not shutting down, its run queue answers). */
export function healthRoutes(deps: Pick<AppDeps, 'store' | 'bus' | 'runs' | 'config' | 'executor' | 'pool'>) {
  return async (app: FastifyInstance) => {
    app.get('/health', { schema: { tags: ['health'], summary: 'Liveness' } }, async () => ({ status: 'ok', version: deps.config.version }));
    app.get('/ready', { schema: { tags: ['health'], summary: 'Readiness: the store and the run queue answer' } }, async (_request, reply) => {
      const executor = deps.executor;
      // Read when answering (after the awaits), so the answer and its details agree.
      const queueState = () => (executor ? { executor: executor.kind, queue: executor.kind === 'queue' ? (executor.accepting ? 'up' : 'down') : undefined } : {});
      if (deps.runs.closing) {
        return reply.status(503).header('retry-after', '5').send({ error: { code: 'shutting_down', message: 'The server is shutting down.' } });
      }
      try {
        await deps.store.ping();
      } catch (error) {
        return reply.status(503).send({ error: { code: 'not_ready', message: `The store did not answer: ${String(error)}`, details: { store: 'down', ...queueState() } } });
      }
      const depth = executor?.accepting ? await executor.depth().catch(() => undefined) : undefined;
      if (executor && !executor.accepting) {
        // Finished runs and replays still work from the store; new runs cannot start until the queue answers.
        return reply.status(503).send({ error: { code: 'not_ready', message: executor.unavailableReason ?? 'The run queue does not answer.', details: { store: 'up', ...queueState(), queue: 'down' } } });
      }
      return { status: 'ready', store: deps.store.kind, bus: deps.bus.kind, ...queueState(), activeRuns: deps.runs.activeCount, ...(deps.pool ? { executing: deps.pool.activeCount, executed: deps.pool.executedCount } : {}), ...(depth === undefined ? {} : { queueDepth: depth }) };
    });
  };
}
