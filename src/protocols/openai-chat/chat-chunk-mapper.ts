import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { isAnswerEvent } from '../../events/answer-events.ts';
import { assertNever, type RunEvent, type Usage } from '../../events/run-event.ts';
import { runFailureToOpenAi, toOpenAiError, type OpenAiErrorBody } from './to-openai-error.ts';

// Chat completion chunks: https://platform.openai.com/docs/api-reference/chat-streaming/streaming
// (shapes checked against the installed `openai` package's ChatCompletionChunk type).

/** What every chunk of one completion shares. `created` is Unix seconds; `model` echoes the request's. */
export type ChatChunkContext = { id: string; created: number; model: string; includeUsage: boolean };

/** One item of the stream: a chunk, or the error a failed run ends with (then the stream closes). */
export type ChatStreamItem = { kind: 'chunk'; chunk: ChatCompletionChunk } | { kind: 'error'; status: number; body: OpenAiErrorBody };

/** Per-stream state: create one per response, call `map` once per event in seq order. */
export type ChatChunkMapper = { map(event: RunEvent): ChatStreamItem[] };

/**
 * Maps a run's events to `chat.completion.chunk`s. OpenAI's format is flat, so only the final answer's
 * text streams (`isAnswerEvent`), and the agent's calls to the client's own tools as `tool_calls` (ending
 * with `finish_reason: "tool_calls"`). Reasoning, server-side tool calls, team routing, member work and
 * progress are dropped on purpose.
 */
export function createChatChunkMapper(context: ChatChunkContext): ChatChunkMapper {
  const streamed = new Set<string>();
  let clientCalls = 0;
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finishReason: ChatCompletionChunk.Choice['finish_reason'] = null): ChatStreamItem => ({
    kind: 'chunk',
    chunk: {
      id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(context.includeUsage ? { usage: null } : {}), // per the spec: null on every chunk but the usage chunk
    },
  });

  function toItems(event: RunEvent): ChatStreamItem[] {
    switch (event.type) {
      case 'run.started':
        return [chunk({ role: 'assistant', content: '' })];
      case 'message.delta':
        if (!isAnswerEvent(event) || event.delta === '') return [];
        streamed.add(event.messageId);
        return [chunk({ content: event.delta })];
      case 'message.completed':
        // An answer that arrived whole (no deltas) still has to reach the client.
        if (!isAnswerEvent(event) || streamed.has(event.messageId) || event.text === '') return [];
        return [chunk({ content: event.text })];
      case 'run.completed': {
        const items = [chunk({}, clientCalls > 0 ? 'tool_calls' : 'stop')];
        if (context.includeUsage) {
          items.push({ kind: 'chunk', chunk: { id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, choices: [], usage: toCompletionUsage(event.usage) } });
        }
        return items;
      }
      case 'run.failed':
        return [{ kind: 'error', ...runFailureToOpenAi(event.error) }];
      case 'run.cancelled':
        // OpenAI has no cancelled completion: an error says the answer is cut short (409: someone else ended it).
        return [{ kind: 'error', ...toOpenAiError(409, { code: 'run_cancelled', message: `The run was cancelled: ${event.reason}` }) }];
      case 'tool.started': {
        // A call to one of the client's own tools: the client runs it (https://platform.openai.com/docs/guides/function-calling).
        if (!event.clientSide || event.agent.path.length > 0) return [];
        const index = clientCalls++;
        return [chunk({ tool_calls: [{ index, id: event.toolCallId, type: 'function', function: { name: event.toolName, arguments: JSON.stringify(event.args) } }] })];
      }
      case 'agent.started':
      case 'reasoning.delta':
      case 'tool.completed':
      case 'tool.failed':
      case 'team.routed':
      case 'agent.completed':
      case 'usage':
      case 'progress':
        return []; // no place for these in a flat chat completion (see above)
      case 'step.completed':
      case 'run.resumed':
        return []; // a checkpoint, and a retraction a flat chat completion cannot express (docs/protocols/openai-chat.md)
      case 'run.awaiting_input':
      case 'input.received':
        return []; // a pause has no chunk: the stream stays open (keep-alive comments) until the run goes on (docs/protocols/openai-chat.md)
      default:
        return assertNever(event);
    }
  }

  return { map: toItems };
}

/** Our usage in OpenAI's fields; reasoning tokens go in `completion_tokens_details` as OpenAI counts them. */
export function toCompletionUsage(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.totalTokens,
    ...(usage.reasoningTokens === undefined ? {} : { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } }),
  };
}
