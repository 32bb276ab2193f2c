import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import type { Store } from '../../store/store.ts';
import { tenantOf } from '../access/request-access.ts';

/** Conversation history kept per session. */
export function sessionRoutes(deps: { store: Store }) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>('/v1/sessions/:id', { schema: { tags: ['sessions'], summary: 'A session and its messages' } }, async (request) => {
      const session = await deps.store.getSession(request.params.id, tenantOf(request));
      if (!session) throw new AppError('session_not_found', { message: `Session '${request.params.id}' not found.` });
      const runs = await deps.store.listRuns({ sessionId: session.id, limit: 200 }, tenantOf(request));
      return { ...session, runs: runs.runs.map((run) => ({ id: run.id, status: run.status, createdAt: run.createdAt, target: run.target })) };
    });
    app.delete<{ Params: { id: string } }>('/v1/sessions/:id', { schema: { tags: ['sessions'], summary: 'Forget a session\'s history' } }, async (request, reply) => {
      const deleted = await deps.store.deleteSession(request.params.id, tenantOf(request));
      if (!deleted) throw new AppError('session_not_found', { message: `Session '${request.params.id}' not found.` });
      return reply.status(204).send();
    });
  };
}
