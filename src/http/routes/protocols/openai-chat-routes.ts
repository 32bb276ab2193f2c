import type { FastifyInstance } from 'fastify';
import { resolveTarget, type Catalog } from '../../../agents/catalog.ts';
import type { AppDeps } from '../../app-deps.ts';
import type { RouteModule } from '../../app.ts';
import { toErrorResponse } from '../../error-handler.ts';
import { docSchema } from '../../schemas.ts';
import { streamRun } from '../../stream-run.ts';
import { registerResponses } from './openai-responses-routes.ts';
import { createChatChunkMapper, type ChatStreamItem } from '../../../protocols/openai-chat/chat-chunk-mapper.ts';
import { createChatStreamRenderer } from '../../../protocols/openai-chat/chat-stream-renderer.ts';
import { foldChatCompletion } from '../../../protocols/openai-chat/fold-chat-completion.ts';
import { ChatCompletionBody, parseChatCompletionRequest } from '../../../protocols/openai-chat/parse-chat-completion-request.ts';
import { toOpenAiError } from '../../../protocols/openai-chat/to-openai-error.ts';
import { callerOf } from '../../access/request-access.ts';

/**
 * OpenAI-compatible Chat Completions under `/openai/v1` (https://platform.openai.com/docs/api-reference/chat),
 * so the official OpenAI clients work unchanged: `model` names an agent or team. Every error, routing ones
 * included, is in OpenAI's form. A client that drops the request cancels the run (OpenAI stops generating).
 */
export const openAiChatRoutes: RouteModule = (deps) => async (app) => {
  await app.register(async (scoped) => {
    scoped.setErrorHandler((error, _request, reply) => {
      const ours = toErrorResponse(error, deps.log);
      const { status, body } = toOpenAiError(ours.status, ours.body.error);
      if (ours.headers) reply.headers(ours.headers);
      return reply.status(status).type('application/json').send(body);
    });
    scoped.setNotFoundHandler((request, reply) => {
      const { status, body } = toOpenAiError(404, { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` });
      return reply.status(status).send(body);
    });
    registerModels(scoped, deps.catalog);
    registerChatCompletions(scoped, deps);
    registerResponses(scoped, deps);
  }, { prefix: '/openai/v1' });
};

/** `GET /models` and `GET /models/{id}`: the agents and teams, as OpenAI models (https://platform.openai.com/docs/api-reference/models). */
function registerModels(app: FastifyInstance, catalog: Catalog): void {
  // The catalogue is fixed at start-up, so its models were "created" then.
  const created = Math.floor(Date.now() / 1000);
  const describe = (id: string) => {
    const target = resolveTarget(catalog, id);
    return { id: target.id, object: 'model' as const, created, owned_by: `agentstream-${target.kind}` };
  };
  app.get('/models', { schema: { tags: ['protocols'], summary: 'OpenAI: the agents and teams, as models' } }, async () => {
    const ids = [...new Set([...catalog.agents.keys(), ...catalog.teams.keys()])];
    return { object: 'list', data: ids.map(describe) };
  });
  app.get<{ Params: { id: string } }>('/models/:id', { schema: { tags: ['protocols'], summary: 'OpenAI: one agent or team, as a model' } }, async (request) => describe(request.params.id));
}

function registerChatCompletions(app: FastifyInstance, deps: AppDeps): void {
  const { runs, catalog, config, log } = deps;
  app.post('/chat/completions', {
    schema: { tags: ['protocols'], summary: 'OpenAI chat completions: model = an agent or team; stream: true gives chat.completion.chunk SSE', body: docSchema(ChatCompletionBody) },
  }, async (request, reply) => {
    const chat = parseChatCompletionRequest(request.body);
    const target = resolveTarget(catalog, chat.model);
    const run = await runs.start({
      ...callerOf(request), target, input: chat.text, history: chat.history, metadata: { protocol: 'openai-chat', model: chat.model },
      clientTools: chat.clientTools, clientToolResults: chat.clientToolResults, outputSchema: chat.outputSchema, images: chat.images,
    });
    const context = { id: `chatcmpl-${run.id}`, created: Math.floor(Date.parse(run.createdAt) / 1000), model: chat.model };
    if (chat.stream) {
      const renderer = createChatStreamRenderer({ ...context, includeUsage: chat.includeUsage });
      return streamRun(reply, { runs, run, afterSeq: 0, renderer, onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
    }
    // Drain the same chunks the stream would carry; a client that hangs up meanwhile cancels the run.
    const mapper = createChatChunkMapper({ ...context, includeUsage: true });
    const items: ChatStreamItem[] = [];
    const gone = new AbortController();
    const onClose = () => {
      if (reply.raw.writableFinished) return;
      gone.abort();
      runs.cancelIfActive(run.id, 'The client disconnected before the completion was ready.');
    };
    reply.raw.on('close', onClose);
    try {
      await runs.follow(run.id, 0, (event) => items.push(...mapper.map(event)), gone.signal);
    } finally {
      reply.raw.off('close', onClose);
    }
    if (gone.signal.aborted) return reply.hijack();
    const folded = foldChatCompletion(items, context);
    if ('error' in folded) {
      // OpenAI's clients retry a 409; a run someone cancelled must not silently run again.
      if (folded.error.body.error.code === 'run_cancelled') reply.header('x-should-retry', 'false');
      return reply.status(folded.error.status).send(folded.error.body);
    }
    return folded.completion;
  });
}
