import { z } from 'zod';
import type { RouteModule } from '../../../app.ts';
import type { AppDeps } from '../../../app-deps.ts';
import { parseInput } from '../../../../errors/parse-input.ts';
import { docSchema } from '../../../schemas.ts';
import { streamRun } from '../../../stream-run.ts';
import { toSnakeUsage } from '../../../../protocols/seeds/snake-usage.ts';
import { collectRunEvents } from './collect-run-events.ts';
import { runErrorStatus } from '../../../../protocols/seeds/run-error-status.ts';
import { createAgnoChatRenderer, toAgnoChatFrames, type AgnoChatState } from '../../../../protocols/seeds/agno-chat/to-agno-chat-frames.ts';
import { callerOf } from '../../../access/request-access.ts';
import { SEED_MULTITASK } from './seed-multitask.ts';

// Seed 004: `POST /api/v1/chat`, streaming with `"stream": true`.

const AGENT = 'chat';
const id = z.string().trim().min(1).max(180);

const ChatRequest = z.object({
  message: z.string().min(1).max(100_000).describe('The user message'),
  stream: z.boolean().default(false).describe('true: SSE StreamingChunks; false: one JSON answer'),
  model: z.string().trim().min(1).max(200).optional().describe('`provider:model` or `provider/model`; default: the agent\'s'),
  session_id: id.optional().describe('Continue this conversation'),
  user_id: id.optional().describe('Without session_id: one conversation per user'),
});

/** Seed 004, the Agno chat API: `POST /api/v1/chat` on the one run engine. */
export const agnoChatRoutes: RouteModule = (deps: AppDeps) => async (app) => {
  const { runs, config, log } = deps;

  app.post('/api/v1/chat', {
    schema: { tags: ['seed: agno chat'], summary: 'Chat with the `chat` agent: one JSON answer, or SSE StreamingChunks with "stream": true', body: docSchema(ChatRequest) },
  }, async (request, reply) => {
    const body = parseInput(ChatRequest, request.body);
    const sessionId = body.session_id ?? (body.user_id ? `agno-chat:${body.user_id}` : undefined);
    // No error form of its own before the stream opens: a bad body or an unknown model is a JSON 4xx.
    const run = await runs.start({ ...callerOf(request), target: { kind: 'agent', id: AGENT }, input: body.message, model: body.model, sessionId, routeMultitask: SEED_MULTITASK });
    if (body.stream) {
      // A chat client cannot resume; a dropped stream stops generating.
      return streamRun(reply, { runs, run, afterSeq: 0, renderer: createAgnoChatRenderer(), onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
    }
    // The JSON answer is the stream's chunks joined, so the two modes always say the same thing.
    const state: AgnoChatState = { model: run.model };
    let content = '';
    let usage = null;
    for (const event of await collectRunEvents(runs, run.id)) {
      for (const chunk of toAgnoChatFrames(event, state)) {
        if (chunk.error) return reply.status(runErrorStatus(chunk.error)).send({ error: chunk.error });
        content += chunk.content;
      }
      if (event.type === 'run.completed') usage = toSnakeUsage(event.usage);
    }
    return { content, done: true, model: state.model, session_id: run.sessionId, run_id: run.id, usage };
  });
};
