import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ChatChunkContext, ChatStreamItem } from './chat-chunk-mapper.ts';
import type { OpenAiErrorResponse } from './to-openai-error.ts';

/**
 * The `stream: false` answer, folded from the very chunks the stream would send (so the two cannot
 * drift apart): the answer text, `finish_reason`, and usage. A failed run gives its OpenAI error instead.
 */
export function foldChatCompletion(items: readonly ChatStreamItem[], context: Omit<ChatChunkContext, 'includeUsage'>): { completion: ChatCompletion } | { error: OpenAiErrorResponse } {
  let content = '';
  let finishReason: ChatCompletion.Choice['finish_reason'] | null = null;
  let usage: ChatCompletion['usage'];
  const toolCalls: NonNullable<ChatCompletion.Choice['message']['tool_calls']> = [];
  for (const item of items) {
    if (item.kind === 'error') return { error: { status: item.status, body: item.body } };
    const [choice] = item.chunk.choices;
    if (choice?.delta.content) content += choice.delta.content;
    for (const call of choice?.delta.tool_calls ?? []) {
      toolCalls.push({ id: call.id!, type: 'function', function: { name: call.function!.name!, arguments: call.function!.arguments ?? '' } });
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (item.chunk.usage) usage = item.chunk.usage;
  }
  return {
    completion: {
      id: context.id, object: 'chat.completion', created: context.created, model: context.model,
      choices: [{
        index: 0, logprobs: null, finish_reason: finishReason ?? 'stop',
        message: { role: 'assistant', content: toolCalls.length > 0 && content === '' ? null : content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      }],
      ...(usage ? { usage } : {}),
    },
  };
}
