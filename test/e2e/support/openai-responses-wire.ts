import { sseFrame } from './loopback-provider.ts';

/**
 * OpenAI Responses API streaming, as the API sends it: named semantic events (`event: response.created`…)
 * each with a `sequence_number`, one `output_item.added`/`done` pair per output item (reasoning with its
 * summary parts, message with its output_text part, function_call with its argument deltas), and
 * `response.completed` carrying usage. There is no `[DONE]`.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
export type ResponsesStreamOptions = {
  model?: string;
  reasoningSummary?: string[];
  text?: string[];
  functionCalls?: { callId: string; name: string; argumentParts: string[] }[];
  usage?: { inputTokens: number; outputTokens: number; reasoningTokens?: number };
};

const CREATED = 1_760_000_000;

export function responsesStream(options: ResponsesStreamOptions): string[] {
  const model = options.model ?? 'gpt-4.1-mini';
  let sequence = 0;
  const frames: string[] = [];
  const emit = (type: string, body: Record<string, unknown>) => frames.push(sseFrame({ type, sequence_number: sequence++, ...body }, type));
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'resp_loopback', object: 'response', created_at: CREATED, status, background: false, error: null, incomplete_details: null,
    instructions: null, max_output_tokens: null, model, output: [], parallel_tool_calls: true, previous_response_id: null,
    reasoning: { effort: null, summary: null }, store: true, temperature: 1, text: { format: { type: 'text' } }, tool_choice: 'auto',
    tools: [], top_p: 1, truncation: 'disabled', usage: null, user: null, metadata: {}, ...extra,
  });
  emit('response.created', { response: response('in_progress') });
  emit('response.in_progress', { response: response('in_progress') });
  const output: Record<string, unknown>[] = [];
  let outputIndex = 0;

  if (options.reasoningSummary?.length) {
    const itemId = 'rs_loopback';
    const text = options.reasoningSummary.join('');
    emit('response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'reasoning', summary: [] } });
    emit('response.reasoning_summary_part.added', { item_id: itemId, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
    for (const delta of options.reasoningSummary) emit('response.reasoning_summary_text.delta', { item_id: itemId, output_index: outputIndex, summary_index: 0, delta });
    emit('response.reasoning_summary_text.done', { item_id: itemId, output_index: outputIndex, summary_index: 0, text });
    emit('response.reasoning_summary_part.done', { item_id: itemId, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text } });
    const item = { id: itemId, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
    emit('response.output_item.done', { output_index: outputIndex, item });
    output.push(item);
    outputIndex += 1;
  }

  if (options.text?.length) {
    const itemId = 'msg_loopback';
    const text = options.text.join('');
    emit('response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' } });
    emit('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    for (const delta of options.text) emit('response.output_text.delta', { item_id: itemId, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
    emit('response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text, logprobs: [] });
    emit('response.content_part.done', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text } });
    const item = { id: itemId, type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text }], role: 'assistant' };
    emit('response.output_item.done', { output_index: outputIndex, item });
    output.push(item);
    outputIndex += 1;
  }

  for (const call of options.functionCalls ?? []) {
    const itemId = `fc_${call.callId}`;
    const args = call.argumentParts.join('');
    emit('response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'function_call', status: 'in_progress', arguments: '', call_id: call.callId, name: call.name } });
    for (const delta of call.argumentParts) emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta });
    emit('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: args });
    const item = { id: itemId, type: 'function_call', status: 'completed', arguments: args, call_id: call.callId, name: call.name };
    emit('response.output_item.done', { output_index: outputIndex, item });
    output.push(item);
    outputIndex += 1;
  }

  const usage = options.usage ?? { inputTokens: 20, outputTokens: 10 };
  emit('response.completed', {
    response: response('completed', {
      output,
      usage: {
        input_tokens: usage.inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.outputTokens,
        output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    }),
  });
  return frames;
}

/** True when the request already carries function results (the model's second step). */
export function responsesHasToolResults(body: { input?: { type?: string }[] }): boolean {
  return (body.input ?? []).some((item) => item.type === 'function_call_output');
}
