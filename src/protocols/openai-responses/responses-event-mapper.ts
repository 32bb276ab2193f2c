import { isAnswerEvent } from '../../events/answer-events.ts';
import { assertNever, type JsonValue, type PublicError, type RunEvent, type Usage } from '../../events/run-event.ts';

// OpenAI Responses, streaming: https://platform.openai.com/docs/api-reference/responses-streaming
// (shapes checked against the installed `openai` package, resources/responses/responses.d.ts).

/** What a response echoes from its request; fixed when the run starts. `createdAt` is Unix seconds. */
export type ResponseContext = {
  id: string;
  createdAt: number;
  model: string;
  background: boolean;
  previousResponseId: string | null;
  /** The `tools` the client offered, echoed back as OpenAI does. */
  tools?: JsonValue[];
  /** The `text` config (structured output format), echoed back. */
  text?: JsonValue;
};

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'incomplete';

type OutputText = { type: 'output_text'; text: string; annotations: []; logprobs: [] };
type MessageItem = { type: 'message'; id: string; role: 'assistant'; status: 'in_progress' | 'completed' | 'incomplete'; content: OutputText[] };
type FunctionCallItem = { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' };
export type ResponseOutputItem = MessageItem | FunctionCallItem;

/** The `response` object (https://platform.openai.com/docs/api-reference/responses/object). */
export type ResponseObject = {
  id: string; object: 'response'; created_at: number; status: ResponseStatus; background: boolean;
  error: { code: string; message: string } | null; incomplete_details: { reason: string } | null;
  instructions: null; max_output_tokens: null; model: string; output: ResponseOutputItem[]; output_text: string;
  parallel_tool_calls: boolean; previous_response_id: string | null; reasoning: { effort: null; summary: null };
  store: boolean; temperature: number | null; text: JsonValue; tool_choice: 'auto'; tools: JsonValue[]; top_p: number | null;
  truncation: 'disabled'; usage: ResponseUsage | null; user: null; metadata: Record<string, string>;
};

export type ResponseUsage = {
  input_tokens: number; input_tokens_details: { cached_tokens: number };
  output_tokens: number; output_tokens_details: { reasoning_tokens: number }; total_tokens: number;
};

/** One streaming event: `type` plus its fields; `sequence_number` counts from 0 over the whole response. */
export type ResponseStreamEvent = { type: string; sequence_number: number; [field: string]: unknown };

/** The three events that end a response stream; exactly one is sent, last. */
export const TERMINAL_RESPONSE_EVENTS = ['response.completed', 'response.failed', 'response.incomplete'] as const;

/** A call the model made to one of the client's tools: the response ends with it, for the client to run. */
export type PendingClientCall = { callId: string; name: string; arguments: string };

/** Per-response state: call `map` once per run event in seq order; `snapshot` is the response so far. */
export type ResponsesMapper = { map(event: RunEvent): ResponseStreamEvent[]; snapshot(): ResponseObject };

/**
 * Maps a run's events to Responses streaming events. The numbering is a pure function of the run's
 * events, so replaying a run from its first event reproduces every `sequence_number`: that is what lets
 * `?starting_after=N` resume onto our own event log. Only the final answer's text becomes output
 * (`isAnswerEvent`), plus a `function_call` item per call to one of the client's tools; reasoning, server-side tool calls, routing and member work have no output item a
 * client could use and are dropped on purpose.
 */
export function createResponsesMapper(context: ResponseContext): ResponsesMapper {
  const pendingCalls: PendingClientCall[] = [];
  let sequence = 0;
  let status: ResponseStatus = 'queued';
  let error: ResponseObject['error'] = null;
  let incomplete: ResponseObject['incomplete_details'] = null;
  let usage: ResponseUsage | null = null;
  const output: ResponseOutputItem[] = [];
  let open: { item: MessageItem; messageId: string; index: number } | undefined;

  const snapshot = (): ResponseObject => ({
    id: context.id, object: 'response', created_at: context.createdAt, status, background: context.background, error,
    incomplete_details: incomplete, instructions: null, max_output_tokens: null, model: context.model,
    output: structuredClone(output), output_text: outputText(output), parallel_tool_calls: true,
    previous_response_id: context.previousResponseId, reasoning: { effort: null, summary: null }, store: true,
    temperature: null, text: context.text ?? { format: { type: 'text' } }, tool_choice: 'auto', tools: context.tools ?? [],
    top_p: null, truncation: 'disabled', usage, user: null, metadata: {},
  });
  const next = (type: string, body: Record<string, unknown>): ResponseStreamEvent => ({ type, sequence_number: sequence++, ...body });

  function openMessage(messageId: string): ResponseStreamEvent[] {
    const item: MessageItem = { type: 'message', id: messageId, role: 'assistant', status: 'in_progress', content: [] };
    output.push(item);
    open = { item, messageId, index: output.length - 1 };
    const part: OutputText = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    item.content.push(part);
    return [
      next('response.output_item.added', { output_index: open.index, item: { ...item, content: [] } }),
      next('response.content_part.added', { item_id: item.id, output_index: open.index, content_index: 0, part: { ...part } }),
    ];
  }

  function appendText(delta: string): ResponseStreamEvent[] {
    const current = open!;
    current.item.content[0]!.text += delta;
    return [next('response.output_text.delta', { item_id: current.item.id, output_index: current.index, content_index: 0, delta, logprobs: [] })];
  }

  function closeMessage(itemStatus: 'completed' | 'incomplete'): ResponseStreamEvent[] {
    if (!open) return [];
    const { item, index } = open;
    open = undefined;
    item.status = itemStatus;
    const part = item.content[0]!;
    return [
      next('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text: part.text, logprobs: [] }),
      next('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part: { ...part } }),
      next('response.output_item.done', { output_index: index, item: structuredClone(item) }),
    ];
  }

  function addFunctionCalls(calls: PendingClientCall[]): ResponseStreamEvent[] {
    return calls.flatMap((call) => {
      const item: FunctionCallItem = { type: 'function_call', id: `fc_${call.callId}`, call_id: call.callId, name: call.name, arguments: call.arguments, status: 'completed' };
      output.push(item);
      const index = output.length - 1;
      return [
        next('response.output_item.added', { output_index: index, item: { ...item, arguments: '', status: 'in_progress' } }),
        next('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta: call.arguments }),
        next('response.function_call_arguments.done', { item_id: item.id, output_index: index, name: call.name, arguments: call.arguments }),
        next('response.output_item.done', { output_index: index, item: { ...item } }),
      ];
    });
  }

  function map(event: RunEvent): ResponseStreamEvent[] {
    switch (event.type) {
      case 'run.started':
        status = 'in_progress';
        return [next('response.created', { response: { ...snapshot(), status: 'in_progress' } }), next('response.in_progress', { response: snapshot() })];
      case 'message.delta': {
        if (!isAnswerEvent(event) || event.delta === '') return [];
        const events = open?.messageId === event.messageId ? [] : [...closeMessage('completed'), ...openMessage(event.messageId)];
        return [...events, ...appendText(event.delta)];
      }
      case 'message.completed': {
        if (!isAnswerEvent(event)) return [];
        if (open?.messageId === event.messageId) return closeMessage('completed');
        if (event.text === '') return [];
        // An answer that arrived whole (no deltas) still gets its full item lifecycle.
        return [...closeMessage('completed'), ...openMessage(event.messageId), ...appendText(event.text), ...closeMessage('completed')];
      }
      case 'run.completed': {
        const events = [...closeMessage('completed'), ...addFunctionCalls(pendingCalls)];
        status = 'completed';
        usage = toResponseUsage(event.usage);
        return [...events, next('response.completed', { response: snapshot() })];
      }
      case 'run.failed': {
        const events = closeMessage('incomplete');
        status = 'failed';
        error = toResponseError(event.error);
        if (event.usage) usage = toResponseUsage(event.usage);
        return [...events, next('response.failed', { response: snapshot() })];
      }
      case 'run.cancelled': {
        // Responses has no "cancelled" event: the answer is cut short, so the stream ends with
        // response.incomplete whose response carries OpenAI's own `cancelled` status.
        const events = closeMessage('incomplete');
        status = 'cancelled';
        incomplete = { reason: 'cancelled' };
        if (event.usage) usage = toResponseUsage(event.usage);
        return [...events, next('response.incomplete', { response: snapshot() })];
      }
      case 'tool.started':
        // A call to one of the client's function tools becomes a function_call output item when the turn ends.
        if (event.clientSide && event.agent.path.length === 0) pendingCalls.push({ callId: event.toolCallId, name: event.toolName, arguments: JSON.stringify(event.args) });
        return [];
      case 'agent.started':
      case 'reasoning.delta':
      case 'tool.completed':
      case 'tool.failed':
      case 'team.routed':
      case 'agent.completed':
      case 'usage':
      case 'progress':
      case 'step.completed':
      case 'run.resumed':
      case 'run.awaiting_input':
      case 'input.received':
        return []; // no output item for these (see above); Responses cannot retract streamed text, and a pause keeps the stream open
      default:
        return assertNever(event);
    }
  }

  return { map, snapshot };
}

function outputText(output: readonly ResponseOutputItem[]): string {
  return output.flatMap((item) => (item.type === 'message' ? item.content.map((part) => part.text) : [])).join('');
}

function toResponseError(error: PublicError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

/** Our usage in the Responses fields. */
export function toResponseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.inputTokens, input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.outputTokens, output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}
