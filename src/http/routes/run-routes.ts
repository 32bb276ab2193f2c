import type { FastifyInstance } from 'fastify';
import { createNativeRenderer } from '../../protocols/native/native-renderer.ts';
import type { AppDeps } from '../app-deps.ts';
import { parseAfterSeq, parseInput } from '../../errors/parse-input.ts';
import { docSchema, EventsQuery, ListRunsQuery, RunInputBody, RunInputResultDoc, RunPageDoc, RunRecordDoc, RunStartedDoc, RunSummaryDoc, sseResponse, StartRunBody } from '../schemas.ts';
import type { JsonValue } from '../../events/run-event.ts';
import { createWebhookAllowlist } from '../../runs/webhooks/webhook-allowlist.ts';
import { noteRunId } from '../request-log.ts';
import { streamRun } from '../stream-run.ts';
import { runSummary } from './run-summary.ts';
import { replayRendererFor } from './replay-formats.ts';
import { AppError } from '../../errors/app-error.ts';
import { callerOf, readScopeOf } from '../access/request-access.ts';

const NO_WEBHOOKS = createWebhookAllowlist([]);

/** The native run API: start (SSE, JSON or background), follow from any seq, inspect, list, cancel. */
export function runRoutes(deps: Pick<AppDeps, 'runs' | 'catalog' | 'config' | 'log' | 'webhookAllowlist'>) {
  const { runs, catalog, config, log } = deps;
  return async (app: FastifyInstance) => {
    app.post('/v1/runs', {
      schema: {
        tags: ['runs'], summary: 'Start a run of an agent or a team; streams its events as SSE by default', operationId: 'startRun', body: docSchema(StartRunBody),
        response: {
          200: sseResponse('The run\'s events as SSE (default), or with `stream: false` the finished run', RunSummaryDoc),
          202: { description: '`background: true`: the run is under way', content: { 'application/json': { schema: docSchema(RunStartedDoc, 'output') } } },
        },
      },
    }, async (request, reply) => {
      const body = parseInput(StartRunBody, request.body);
      const target = body.team ? { kind: 'team' as const, id: body.team } : { kind: 'agent' as const, id: body.agent! };
      // Checked here, before admission: the server only ever calls URLs on its allowlist (SSRF).
      if (body.webhook) (deps.webhookAllowlist ?? NO_WEBHOOKS).assertAllowed(body.webhook.url);
      const run = await runs.start({ ...callerOf(request), target, input: body.input, sessionId: body.sessionId, model: body.model, timeoutMs: body.timeoutMs, metadata: body.metadata as never, mcpServers: body.mcpServers, outputSchema: body.output?.schema, requireApproval: body.requireApproval, inputTimeoutMs: body.inputTimeoutMs, webhook: body.webhook, multitask: body.multitask });
      noteRunId(request, run.id);
      if (body.background) {
        return reply.status(202).send({ runId: run.id, sessionId: run.sessionId, status: run.status, links: links(run.id) });
      }
      if (!body.stream) {
        // A run that pauses for input answers then, with its pending calls: the caller decides and reads on.
        const ended = await runs.waitForEnd(run.id, { orPause: true });
        return reply.send({ ...runSummary(ended), ...(ended.status === 'awaiting_input' ? { pending: await runs.pending(ended) } : {}) });
      }
      return streamRun(reply, { runs, run, afterSeq: 0, renderer: createNativeRenderer(), onDisconnect: body.onDisconnect, heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
    });

    app.get('/v1/runs', { schema: { tags: ['runs'], summary: 'List runs, newest first (cursor pagination)', operationId: 'listRuns', querystring: docSchema(ListRunsQuery), response: { 200: docSchema(RunPageDoc, 'output') } } }, async (request) => {
      const { session, ...query } = parseInput(ListRunsQuery, request.query);
      const page = await runs.list({ ...query, sessionId: query.sessionId ?? session }, readScopeOf(request));
      return { runs: page.runs, nextCursor: page.nextCursor };
    });

    app.get<{ Params: { runId: string } }>('/v1/runs/:runId', { schema: { tags: ['runs'], summary: 'A run with its status, output and usage', operationId: 'getRun', response: { 200: docSchema(RunRecordDoc, 'output') } } }, async (request) => {
      noteRunId(request, request.params.runId);
      return runs.get(request.params.runId, readScopeOf(request));
    });

    app.get<{ Params: { runId: string } }>('/v1/runs/:runId/events', {
      schema: {
        tags: ['runs'], summary: 'SSE of the run\'s events: replays a finished run, tails a running one; honours Last-Event-ID and ?after=; ?format= renders it in another wire format', operationId: 'followRun',
        querystring: docSchema(EventsQuery),
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', description: 'The `id:` (seq) of the last frame received; the stream resumes after it' } } },
        response: { 200: sseResponse('The run\'s events after the given seq, as SSE'), 204: { description: 'The run has ended and you already have every event', type: 'null' } },
      },
    }, async (request, reply) => {
      const query = parseInput(EventsQuery, request.query);
      const afterSeq = parseAfterSeq(request.headers['last-event-id'], query.after);
      // Other formats number their frames their own way (or not at all) and keep state from the first event on.
      if (query.format !== 'native' && afterSeq > 0) throw new AppError('replay_not_resumable', { message: `format=${query.format} replays the whole run: Last-Event-ID and ?after= resume the native format only.` });
      const run = await runs.get(request.params.runId, readScopeOf(request));
      if (runs.checkFollow(run, afterSeq) === 'nothing-left') return reply.status(204).send();
      return streamRun(reply, { runs, run, afterSeq, renderer: replayRendererFor(query.format, run, catalog), onDisconnect: 'continue', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
    });

    app.post<{ Params: { runId: string } }>('/v1/runs/:runId/input', {
      schema: {
        tags: ['runs'], summary: 'Answer a run paused for input: approve, edit or reject pending tool calls, answer questions', operationId: 'runInput',
        body: docSchema(RunInputBody), response: { 200: docSchema(RunInputResultDoc, 'output') },
      },
    }, async (request) => {
      noteRunId(request, request.params.runId);
      const body = parseInput(RunInputBody, request.body);
      const decisions = body.decisions?.map(({ args, ...decision }) => ({ ...decision, ...(args === undefined ? {} : { args: args as JsonValue }) }));
      const { run, pending } = await runs.input(request.params.runId, { decisions, answers: body.answers }, readScopeOf(request));
      return { runId: run.id, status: run.status, lastSeq: run.lastSeq, pending };
    });

    app.post<{ Params: { runId: string } }>('/v1/runs/:runId/cancel', { schema: { tags: ['runs'], summary: 'Cancel a running run (any instance)' } }, async (request) => {
      const run = await runs.cancel(request.params.runId, undefined, readScopeOf(request));
      noteRunId(request, run.id);
      return runSummary(run);
    });
  };
}

function links(runId: string) {
  return { self: `/v1/runs/${runId}`, events: `/v1/runs/${runId}/events`, cancel: `/v1/runs/${runId}/cancel`, input: `/v1/runs/${runId}/input` };
}
