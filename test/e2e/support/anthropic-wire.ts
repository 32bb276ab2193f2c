import { sseFrame } from './loopback-provider.ts';

/**
 * Anthropic Messages streaming, as the API sends it: `message_start` (usage so far), one
 * `content_block_start` / `content_block_delta`… / `content_block_stop` run per block — `thinking` blocks
 * with `thinking_delta` and a closing `signature_delta`, `text` blocks with `text_delta`, `tool_use`
 * blocks with `input_json_delta` — a `ping` now and then, `message_delta` with the stop reason and output
 * usage, then `message_stop`. https://docs.anthropic.com/en/api/messages-streaming
 */
export type AnthropicStreamOptions = {
  model?: string;
  thinking?: string[];
  text?: string[];
  toolUses?: { id: string; name: string; jsonParts: string[] }[];
  usage?: { inputTokens: number; outputTokens: number };
};

export function anthropicContentFrames(options: AnthropicStreamOptions): string[] {
  const model = options.model ?? 'claude-haiku-4-5';
  const usage = options.usage ?? { inputTokens: 25, outputTokens: 1 };
  const frames = [
    sseFrame({
      type: 'message_start',
      message: {
        id: 'msg_loopback', type: 'message', role: 'assistant', content: [], model, stop_reason: null, stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' },
      },
    }, 'message_start'),
  ];
  let index = 0;
  const block = (start: Record<string, unknown>, deltas: Record<string, unknown>[]) => {
    frames.push(sseFrame({ type: 'content_block_start', index, content_block: start }, 'content_block_start'));
    if (index === 0) frames.push(sseFrame({ type: 'ping' }, 'ping'));
    for (const delta of deltas) frames.push(sseFrame({ type: 'content_block_delta', index, delta }, 'content_block_delta'));
    frames.push(sseFrame({ type: 'content_block_stop', index }, 'content_block_stop'));
    index += 1;
  };
  if (options.thinking?.length) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...options.thinking.map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
    ]);
  }
  if (options.text?.length) block({ type: 'text', text: '' }, options.text.map((text) => ({ type: 'text_delta', text })));
  for (const tool of options.toolUses ?? []) {
    block({ type: 'tool_use', id: tool.id, name: tool.name, input: {} }, [{ type: 'input_json_delta', partial_json: '' }, ...tool.jsonParts.map((part) => ({ type: 'input_json_delta', partial_json: part }))]);
  }
  return frames;
}

export function anthropicStream(options: AnthropicStreamOptions): string[] {
  const usage = options.usage ?? { inputTokens: 25, outputTokens: 15 };
  return [
    ...anthropicContentFrames(options),
    sseFrame({ type: 'message_delta', delta: { stop_reason: options.toolUses?.length ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }, 'message_delta'),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  ];
}

/** Anthropic's error body: https://docs.anthropic.com/en/api/errors */
export function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

/** True when the request already carries tool results (the model's second step). */
export function anthropicHasToolResults(body: { messages?: { content: unknown }[] }): boolean {
  return (body.messages ?? []).some((message) => Array.isArray(message.content) && message.content.some((part: { type?: string }) => part.type === 'tool_result'));
}
