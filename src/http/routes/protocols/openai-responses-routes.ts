import { callerOf, readScopeOf } from '../../access/request-access.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { resolveTarget } from '../../../agents/catalog.ts';
import { AppError } from '../../../errors/app-error.ts';
import type { JsonValue, RunEvent } from '../../../events/run-event.ts';
import type { RunRecord } from '../../../events/run-record.ts';
import { createResponsesMapper, type ResponseContext, type ResponseObject } from '../../../protocols/openai-responses/responses-event-mapper.ts';
import { createResponsesStreamRenderer } from '../../../protocols/openai-responses/responses-stream-renderer.ts';
import { parseResponsesRequest, ResponsesCreateBody } from '../../../protocols/openai-responses/parse-responses-request.ts';
import { runFailureToOpenAi } from '../../../protocols/openai-chat/to-openai-error.ts';
import type { AppDeps } from '../../app-deps.ts';
import { docSchema } from '../../schemas.ts';
import { streamRun } from '../../stream-run.ts';

/** How the response's request is remembered in the run's metadata, so `GET /responses/{id}` can echo it. */
type ResponseMetadata = { protocol: 'openai-responses'; model: string; background: boolean; previousResponseId: string | null; tools?: JsonValue[]; text?: JsonValue };

// Stored events are folded a page at a time: a retrieve never holds more than one page of a long run.
const PAGE = 500;

/**
 * OpenAI Responses under `/openai/v1` (https://platform.openai.com/docs/api-reference/responses): a response
 * is a run (its id is the run's id), `model` names an agent or team, `previous_response_id` continues that
 * run's session, `background: true` leaves the run going when the client hangs up, and a stream resumes with
 * `GET /responses/{id}?stream=true&starting_after=N` replayed from our event log. Registered inside the OpenAI
 * scope, so its errors share OpenAI's form.
 */
export function registerResponses(app: FastifyInstance, deps: AppDeps): void {
  const { runs, catalog, config, log } = deps;

  app.post('/responses', {
    schema: { tags: ['protocols'], summary: 'OpenAI Responses: model = an agent or team; stream, background, previous_response_id', body: docSchema(ResponsesCreateBody) },
  }, async (request, reply) => {
    const parsed = parseResponsesRequest(request.body);
    const target = resolveTarget(catalog, parsed.model);
    const sessionId = parsed.previousResponseId ? (await runs.get(parsed.previousResponseId, readScopeOf(request))).sessionId : undefined;
    const metadata: ResponseMetadata = {
      protocol: 'openai-responses', model: parsed.model, background: parsed.background, previousResponseId: parsed.previousResponseId,
      ...(parsed.tools ? { tools: parsed.tools } : {}), ...(parsed.textConfig ? { text: parsed.textConfig } : {}),
    };
    const run = await runs.start({
      ...callerOf(request),
      target, input: parsed.text, ...(sessionId ? { sessionId } : {}),
      // A continued session's stored history wins over messages the client repeats.
      ...(parsed.history && !sessionId ? { history: parsed.history } : {}),
      metadata, clientTools: parsed.clientTools, clientToolResults: parsed.clientToolResults, outputSchema: parsed.outputSchema, images: parsed.images,
    });
    const context = responseContext(run);
    if (parsed.stream) {
      const renderer = createResponsesStreamRenderer(context);
      return streamRun(reply, { runs, run, afterSeq: 0, renderer, onDisconnect: parsed.background ? 'continue' : 'cancel', heartbeatMs: config.heartbeatMs, log });
    }
    if (parsed.background) return reply.status(200).send(createResponsesMapper(context).snapshot());
    return sendWhenDone(reply, deps, run, context);
  });

  app.get<{ Params: { id: string }; Querystring: { stream?: string; starting_after?: string } }>('/responses/:id', {
    schema: { tags: ['protocols'], summary: 'OpenAI Responses: retrieve a response; ?stream=true&starting_after=N resumes its stream' },
  }, async (request, reply) => {
    const run = await runs.get(request.params.id, readScopeOf(request));
    const context = responseContext(run);
    if (request.query.stream === 'true') {
      const startingAfter = parseStartingAfter(request.query.starting_after);
      const renderer = createResponsesStreamRenderer(context, { startingAfter });
      return streamRun(reply, { runs, run, afterSeq: 0, renderer, onDisconnect: 'continue', heartbeatMs: config.heartbeatMs, log });
    }
    return foldStored(deps, run, context);
  });

  app.post<{ Params: { id: string } }>('/responses/:id/cancel', {
    schema: { tags: ['protocols'], summary: 'OpenAI Responses: cancel a response (its run)' },
  }, async (request) => {
    const ended = await runs.cancel(request.params.id, 'Cancelled through the Responses API', readScopeOf(request));
    return foldStored(deps, ended, responseContext(ended));
  });
}

/** The response's fixed fields, from the run and the request it remembers. */
export function responseContext(run: RunRecord): ResponseContext {
  const metadata = (run.metadata ?? {}) as Partial<ResponseMetadata>;
  return {
    id: run.id, createdAt: Math.floor(Date.parse(run.createdAt) / 1000), model: metadata.model ?? run.target.id,
    background: metadata.background ?? false, previousResponseId: metadata.previousResponseId ?? null,
    ...(metadata.tools ? { tools: metadata.tools } : {}), ...(metadata.text ? { text: metadata.text } : {}),
  };
}

/** The response as stored right now: the run's events so far, folded. A running run is `in_progress`. */
async function foldStored(deps: AppDeps, run: RunRecord, context: ResponseContext): Promise<ResponseObject> {
  const mapper = createResponsesMapper(context);
  let afterSeq = 0;
  for (;;) {
    const page = await deps.store.readEvents(run.id, { afterSeq, limit: PAGE });
    for (const event of page) mapper.map(event);
    if (page.length < PAGE) break;
    afterSeq = page.at(-1)!.seq;
  }
  return mapper.snapshot();
}

/** `stream: false`: the same mapping the stream uses, drained; a client that hangs up cancels the run. */
async function sendWhenDone(reply: FastifyReply, deps: AppDeps, run: RunRecord, context: ResponseContext): Promise<unknown> {
  const { runs } = deps;
  const mapper = createResponsesMapper(context);
  let failure: RunEvent | undefined;
  const gone = new AbortController();
  const onClose = () => {
    if (reply.raw.writableFinished) return;
    gone.abort();
    runs.cancelIfActive(run.id, 'The client disconnected before the response was ready.');
  };
  reply.raw.on('close', onClose);
  try {
    await runs.follow(run.id, 0, (event) => {
      mapper.map(event);
      if (event.type === 'run.failed') failure = event;
    }, gone.signal);
  } finally {
    reply.raw.off('close', onClose);
  }
  if (gone.signal.aborted) return reply.hijack();
  if (failure?.type === 'run.failed') {
    const { status, body } = runFailureToOpenAi(failure.error);
    return reply.status(status).send(body);
  }
  return mapper.snapshot();
}

function parseStartingAfter(raw: string | undefined): number {
  if (raw === undefined || raw === '') return -1;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new AppError('validation_failed', { message: `starting_after must be a non-negative integer, got '${raw.slice(0, 40)}'.`, details: { fields: [{ field: 'starting_after', message: 'must be a non-negative integer' }] } });
  }
  return Number(raw);
}
