import { sseFrame } from './loopback-provider.ts';

/**
 * OpenAI Chat Completions streaming, as the API sends it: `data: {chat.completion.chunk}` frames, the
 * finish reason in the last choice chunk, usage in a final chunk with empty `choices` (asked for with
 * `stream_options.include_usage`), then `data: [DONE]`.
 * https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * OpenRouter adds `delta.reasoning`; OpenAI-compatible servers (vLLM, Ollama) send `delta.reasoning_content`.
 */
export type ChatStreamOptions = {
  model?: string;
  text?: string[];
  toolCalls?: { id: string; name: string; argumentParts: string[] }[];
  reasoning?: string[];
  /** Which delta field carries reasoning: `reasoning` (OpenRouter) or `reasoning_content` (vLLM, DeepSeek, Ollama). */
  reasoningField?: 'reasoning' | 'reasoning_content';
  usage?: { promptTokens: number; completionTokens: number; reasoningTokens?: number };
};

const CREATED = 1_760_000_000;

/** The content frames only: no finish chunk, no usage, no [DONE] (for streams that break off). */
export function chatContentFrames(options: ChatStreamOptions): string[] {
  const id = 'chatcmpl-loopback';
  const model = options.model ?? 'gpt-4.1-mini';
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => sseFrame({
    id, object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_loopback', service_tier: 'default',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const part of options.reasoning ?? []) frames.push(chunk({ [options.reasoningField ?? 'reasoning']: part }));
  for (const part of options.text ?? []) frames.push(chunk({ content: part }));
  (options.toolCalls ?? []).forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const part of call.argumentParts) frames.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
  });
  return frames;
}

/** A whole, well-formed stream. */
export function chatStream(options: ChatStreamOptions): string[] {
  const model = options.model ?? 'gpt-4.1-mini';
  const usage = options.usage ?? { promptTokens: 20, completionTokens: 10 };
  const finish = options.toolCalls?.length ? 'tool_calls' : 'stop';
  return [
    ...chatContentFrames(options),
    sseFrame({ id: 'chatcmpl-loopback', object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_loopback', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finish }] }),
    sseFrame({
      id: 'chatcmpl-loopback', object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_loopback', choices: [],
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    }),
    sseFrame('[DONE]'),
  ];
}

/** OpenAI's error body: https://platform.openai.com/docs/guides/error-codes */
export function openaiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

/** True when the request already carries tool results (the model's second step). */
export function chatHasToolResults(body: { messages?: { role: string }[] }): boolean {
  return (body.messages ?? []).some((message) => message.role === 'tool');
}
