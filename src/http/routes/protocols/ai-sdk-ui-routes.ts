import { resolveTarget } from '../../../agents/catalog.ts';
import { waitsForInput, type RunTarget } from '../../../events/run-event.ts';
import type { AppDeps } from '../../app-deps.ts';
import type { RouteModule } from '../../app.ts';
import { docSchema } from '../../schemas.ts';
import { streamRun } from '../../stream-run.ts';
import type { RunRecord } from '../../../store/store.ts';
import { createAiSdkUiRenderer } from '../../../protocols/ai-sdk-ui/ai-sdk-ui-renderer.ts';
import { ChatRequestBody, parseChatRequest } from '../../../protocols/ai-sdk-ui/parse-chat-request.ts';
import { callerOf, readScopeOf } from '../../access/request-access.ts';
import { chatAnswersOf } from '../../../protocols/ai-sdk-ui/chat-approvals.ts';
import { parseInput } from '../../../errors/parse-input.ts';


type ChatParams = { target: string; chatId: string };

/**
 * The Vercel AI SDK UI message stream (https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol) for `useChat`
 * with `DefaultChatTransport({ api: '/ai-sdk/<agentOrTeam>' })`. The chat id is our session `aisdk:<id>`.
 * A dropped stream leaves the run going (resumable streams treat an abort as a disconnect), so
 * `useChat({ resume: true })` can pick it up at `GET .../{chatId}/stream`; `POST .../{chatId}/stop` ends it.
 */
export const aiSdkRoutes: RouteModule = (deps) => async (app) => {
  const { runs, catalog, config, log } = deps;
  const stream = { runs, heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log };

  app.post<{ Params: { target: string } }>('/ai-sdk/:target', {
    schema: { tags: ['protocols'], summary: 'AI SDK useChat: run an agent or team; streams the UI message stream (SSE)', body: docSchema(ChatRequestBody) },
  }, async (request, reply) => {
    const target = resolveTarget(catalog, request.params.target);
    // The chat answers a paused run (approval responses, a question's output): that run goes on in this response.
    const answers = chatAnswersOf(parseInput(ChatRequestBody, request.body).messages);
    if (answers) {
      const answered = await runs.input(answers.runId, { decisions: answers.decisions, answers: answers.answers }, readScopeOf(request));
      const answeredToolCallIds = [...answers.decisions, ...answers.answers].map((item) => item.toolCallId);
      const renderer = createAiSdkUiRenderer({ continuation: { answeredToolCallIds } });
      return streamRun(reply, { ...stream, run: answered.run, afterSeq: answered.run.lastSeq - 1, renderer, onDisconnect: 'continue', stopAt: waitsForInput });
    }
    const chat = parseChatRequest(request.body);
    const run = await runs.start({
      ...callerOf(request), target, input: chat.text, history: chat.history, model: chat.model, sessionId: sessionOf(chat.chatId),
      metadata: { protocol: 'ai-sdk-ui', chatId: chat.chatId }, clientTools: chat.clientTools, clientToolResults: chat.clientToolResults, images: chat.images,
      // useChat holds the conversation and may send again while a run goes on (stop, then a new message; regenerate):
      // the newest message wins, as in its own UI. An agent's `multitask` still decides first.
      routeMultitask: 'interrupt',
    });
    return streamRun(reply, { ...stream, run, afterSeq: 0, renderer: createAiSdkUiRenderer(), onDisconnect: chat.onDisconnect, stopAt: waitsForInput });
  });

  app.get<{ Params: ChatParams }>('/ai-sdk/:target/:chatId/stream', {
    schema: { tags: ['protocols'], summary: 'AI SDK resume: the chat\'s running run from its start (replay, then live); 204 when none runs' },
  }, async (request, reply) => {
    const target = resolveTarget(catalog, request.params.target);
    const run = await findActiveRun(deps, target, request.params.chatId, readScopeOf(request));
    if (!run) return reply.status(204).send();
    // The whole run again: DefaultChatTransport treats a resumed stream as a replay of the message.
    return streamRun(reply, { ...stream, run, afterSeq: 0, renderer: createAiSdkUiRenderer(), onDisconnect: 'continue', stopAt: waitsForInput });
  });

  app.post<{ Params: ChatParams }>('/ai-sdk/:target/:chatId/stop', {
    schema: { tags: ['protocols'], summary: 'AI SDK: cancel the chat\'s running run; 204 when none runs' },
  }, async (request, reply) => {
    const target = resolveTarget(catalog, request.params.target);
    const run = await findActiveRun(deps, target, request.params.chatId, readScopeOf(request));
    if (!run) return reply.status(204).send();
    const ended = await runs.cancel(run.id, 'Stopped by the chat client', readScopeOf(request));
    return { runId: ended.id, status: ended.status };
  });
};

function sessionOf(chatId: string): string {
  return `aisdk:${chatId}`;
}

/** The chat's newest run of this target that has not ended, looked up in the store (any instance may serve it). */
async function findActiveRun(deps: Pick<AppDeps, 'runs'>, target: RunTarget, chatId: string, tenant: string | undefined): Promise<RunRecord | undefined> {
  for (const status of ['running', 'queued', 'awaiting_input'] as const) {
    const page = await deps.runs.list({ sessionId: sessionOf(chatId), status, limit: 20 }, tenant);
    const run = page.runs.find((candidate) => candidate.target.kind === target.kind && candidate.target.id === target.id);
    if (run) return run;
  }
  return undefined;
}
