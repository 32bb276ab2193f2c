import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';
import { parseSessionCursor } from '../../runs/follow-session.ts';
import type { AppDeps } from '../app-deps.ts';
import { tenantOf } from '../access/request-access.ts';
import { docSchema, ListSessionsQuery, SessionDoc, SessionEventsQuery, SessionPageDoc, SessionQuery, sseResponse } from '../schemas.ts';
import { streamSession } from '../stream-session.ts';

/** Conversations: the sessions a tenant has, one's history and runs, and a stream over all its runs. */
export function sessionRoutes(deps: Pick<AppDeps, 'store' | 'bus' | 'runs' | 'config' | 'log'>) {
  const { store } = deps;
  const notFound = (id: string) => new AppError('session_not_found', { message: `Session '${id}' not found.` });
  return async (app: FastifyInstance) => {
    app.get('/v1/sessions', {
      schema: { tags: ['sessions'], summary: 'List sessions, newest first (cursor pagination), each titled by its first message', operationId: 'listSessions', querystring: docSchema(ListSessionsQuery), response: { 200: docSchema(SessionPageDoc, 'output') } },
    }, async (request) => {
      const query = parseInput(ListSessionsQuery, request.query);
      return store.listSessions(query, tenantOf(request));
    });

    app.get<{ Params: { id: string } }>('/v1/sessions/:id', {
      schema: { tags: ['sessions'], summary: 'A session, its messages (all, or a page: `limit` newest before `before`) and its runs', operationId: 'getSession', querystring: docSchema(SessionQuery), response: { 200: docSchema(SessionDoc, 'output') } },
    }, async (request) => {
      const query = parseInput(SessionQuery, request.query);
      const session = await store.getSession(request.params.id, tenantOf(request));
      if (!session) throw notFound(request.params.id);
      const runs = await store.listRuns({ sessionId: session.id, limit: 200 }, tenantOf(request));
      const end = Math.min(query.before ?? session.messages.length, session.messages.length);
      const start = query.limit === undefined ? 0 : Math.max(end - query.limit, 0);
      return {
        ...session, activeRunId: session.activeRunId ?? null, messages: session.messages.slice(start, end), messageCount: session.messages.length, messagesFrom: start,
        runs: runs.runs.map((run) => ({ id: run.id, status: run.status, createdAt: run.createdAt, target: run.target })),
      };
    });

    app.get<{ Params: { id: string } }>('/v1/sessions/:id/events', {
      schema: {
        tags: ['sessions'], operationId: 'followSession',
        summary: 'SSE over every run of the session, past and future: ids `<sessionSeq>:<seq>`, resumable with Last-Event-ID across runs; stays open',
        querystring: docSchema(SessionEventsQuery),
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', description: 'The `id:` of the last frame received (`<sessionSeq>:<seq>`); the stream goes on after it' } } },
        response: { 200: sseResponse('Every event of every run of the session, in order (each names its run), then new runs as they come; heartbeats while idle') },
      },
    }, async (request, reply) => {
      const query = parseInput(SessionEventsQuery, request.query);
      const from = parseSessionCursor(request.headers['last-event-id'], query.after);
      const tenant = tenantOf(request);
      const sessionId = request.params.id;
      const [first] = await store.listSessionRuns(sessionId, tenant, { fromSessionSeq: from?.sessionSeq ?? 0, limit: 1 });
      if (!first && !from && !(await store.getSession(sessionId, tenant))) throw notFound(sessionId);
      if (from && (!first || first.sessionSeq !== from.sessionSeq || from.seq > first.lastSeq)) {
        if (!(await store.getSession(sessionId, tenant))) throw notFound(sessionId);
        throw new AppError('invalid_last_event_id', { message: `Session '${sessionId}' has no event ${from.sessionSeq}:${from.seq}.`, details: { sessionSeq: from.sessionSeq, seq: from.seq } });
      }
      return streamSession(reply, {
        store, bus: deps.bus, runs: deps.runs, sessionId, tenant, from, heartbeatMs: deps.config.heartbeatMs, stalledReaderMs: deps.config.stalledReaderMs,
        resyncMs: deps.runs.resyncMs, log: deps.log,
      });
    });

    app.delete<{ Params: { id: string } }>('/v1/sessions/:id', { schema: { tags: ['sessions'], summary: 'Forget a session\'s history' } }, async (request, reply) => {
      const deleted = await store.deleteSession(request.params.id, tenantOf(request));
      if (!deleted) throw notFound(request.params.id);
      return reply.status(204).send();
    });
  };
}
