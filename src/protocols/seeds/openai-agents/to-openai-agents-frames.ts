import { assertNever, type JsonValue, type PublicError, type RunEvent } from '../../../events/run-event.ts';
import { formatSseFrame } from '../../sse.ts';
import type { StreamRenderer } from '../../stream-renderer.ts';

/**
 * The OpenAI Agents SDK streaming dialect (seed 003, "OpenAI Agents Streaming API"). Each frame is
 * `data: <JSON>` (no `event:` field) whose `type` is `raw_response`, `run_item`, `agent_updated`,
 * `stream_complete` or `error`, with the fields of the seed project's `create_agent_router` formatter,
 * which flattens the SDK's stream events:
 *  - RawResponsesStreamEvent -> `raw_response`, `event_type` being the Responses API event type
 *    (https://platform.openai.com/docs/api-reference/responses-streaming), e.g. `response.output_text.delta`;
 *  - RunItemStreamEvent -> `run_item` with the SDK's `name` (`tool_called`, `tool_output`,
 *    `message_output_created`, `handoff_requested`, `handoff_occured` — the SDK's own spelling) and `item_type`
 *    (`tool_call_item`, `tool_call_output_item`, `message_output_item`, `handoff_call_item`, `handoff_output_item`);
 *  - AgentUpdatedStreamEvent -> `agent_updated` with the new agent's profile.
 * https://openai.github.io/openai-agents-python/ref/stream_events/
 */

/** One frame's JSON: its `type`, then that type's fields. */
export type OpenAiAgentsFrame = { type: 'raw_response' | 'run_item' | 'agent_updated' | 'stream_complete' | 'error'; [field: string]: JsonValue };

/** What `agent_updated` says about an agent, looked up from the catalog by agent or team id. */
export type AgentProfile = { name: string; instructions: string | null; model: string | null; toolsCount: number; handoffsCount: number };

/** What rendering needs from outside the events: agent profiles by id (the catalog, or a fixed table in tests). */
export type OpenAiAgentsContext = { describe: (id: string) => AgentProfile | undefined };

/**
 * One stream: its context, and what it remembers: the session, and the model calls so far. Every call is
 * one of the SDK's `usage.requests` and one turn (`current_turn`): handoffs continue one run, so turns
 * count every agent's calls.
 */
export type OpenAiAgentsStream = { context: OpenAiAgentsContext; sessionId: string | null; requests: number };

/** A fresh stream. */
export function createOpenAiAgentsStream(context: OpenAiAgentsContext): OpenAiAgentsStream {
  return { context, sessionId: null, requests: 0 };
}

// The text the SDK's default tool error function hands the model when a function tool throws.
const TOOL_ERROR_PREFIX = 'An error occurred while running the tool. Please try again. Error: ';

/** Maps one run event to the frames it becomes. */
export function toOpenAiAgentsFrames(event: RunEvent, stream: OpenAiAgentsStream): OpenAiAgentsFrame[] {
  const { context } = stream;
  const raw = (eventType: string, fields: { [field: string]: JsonValue }): OpenAiAgentsFrame => ({ type: 'raw_response', event_type: eventType, sequence_number: event.seq, ...fields });
  const item = (name: string, itemType: string, fields: { [field: string]: JsonValue }): OpenAiAgentsFrame => ({ type: 'run_item', name, item_type: itemType, ...fields });

  switch (event.type) {
    case 'run.started':
      stream.sessionId = event.input.sessionId ?? null;
      return [];
    case 'agent.started': {
      // The SDK announces the starting agent, then every agent a handoff makes active.
      const profile = context.describe(event.agent.id);
      return [{
        type: 'agent_updated', agent_name: profile?.name ?? event.agent.name, agent_instructions: profile?.instructions ?? null,
        model: event.model ?? profile?.model ?? null, tools_count: profile?.toolsCount ?? 0, handoffs_count: profile?.handoffsCount ?? 0,
        agent_id: event.agent.path.at(-1) ?? event.agent.id,
      }];
    }
    case 'reasoning.delta':
      return [raw('response.reasoning_summary_text.delta', { delta: event.delta, reasoning: true })];
    case 'message.delta':
      return [raw('response.output_text.delta', { delta: event.delta, content_index: 0, item_id: event.messageId, output_index: 0 })];
    case 'message.completed':
      return [
        raw('response.output_text.done', { text: event.text, content_index: 0, item_id: event.messageId }),
        item('message_output_created', 'message_output_item', { role: 'assistant', status: 'completed', message_id: event.messageId }),
      ];
    case 'tool.started':
      // The SDK's function call item carries its arguments as a JSON string.
      return [item('tool_called', 'tool_call_item', { tool_name: event.toolName, tool_arguments: JSON.stringify(event.args), call_id: event.toolCallId })];
    case 'tool.completed':
      return [item('tool_output', 'tool_call_output_item', { tool_name: event.toolName, output: event.result, call_id: event.toolCallId })];
    case 'tool.failed':
      return [item('tool_output', 'tool_call_output_item', { tool_name: event.toolName, output: `${TOOL_ERROR_PREFIX}${event.error.message}`, call_id: event.toolCallId, error: event.error })];
    case 'team.routed': {
      // A team's routing is the SDK's handoff: requested by the orchestrator, then taken by the member.
      const from = context.describe(event.agent.id)?.name ?? event.agent.name;
      return event.memberIds.flatMap((memberId) => {
        const target = context.describe(memberId.replace(/#\d+$/, ''))?.name ?? memberId;
        return [
          item('handoff_requested', 'handoff_call_item', { target_agent: target, target_agent_id: memberId, reason: event.reason }),
          item('handoff_occured', 'handoff_output_item', { target_agent: target, target_agent_id: memberId, previous_agent: from }),
        ];
      });
    }
    case 'agent.completed':
      return []; // no SDK event; a member's failure reaches the orchestrator and the final output
    case 'usage':
      stream.requests += 1; // one usage event per model call
      return [];
    case 'progress':
      return []; // no SDK equivalent
    case 'run.completed':
      return [{
        type: 'stream_complete', final_output: event.output, current_turn: stream.requests,
        usage: { requests: stream.requests, input_tokens: event.usage.inputTokens, output_tokens: event.usage.outputTokens, total_tokens: event.usage.totalTokens },
        session_id: stream.sessionId,
      }];
    case 'run.failed':
      return [errorFrame(event.error, { at: event.ts, sessionId: stream.sessionId })];
    case 'run.cancelled':
      return [errorFrame({ code: 'cancelled', message: `The run was cancelled: ${event.reason}` }, { at: event.ts, sessionId: stream.sessionId })];
    case 'step.completed':
    case 'run.resumed':
      return []; // checkpoints and resumption: the seed dialects have no such frames
    case 'run.awaiting_input':
    case 'input.received':
      return []; // the seed dialects have no pause: their stream stays open (heartbeats) until the run goes on
    default:
      return assertNever(event);
  }
}

/** The `error` frame; `timestamp` is epoch seconds as a string, as the seed's Python logger record gave it. */
export function errorFrame(error: PublicError, options: { at: string; sessionId: string | null }): OpenAiAgentsFrame {
  return { type: 'error', message: error.message, code: error.code, timestamp: String(Date.parse(options.at) / 1000), session_id: options.sessionId };
}

/** One frame as SSE: a single `data:` line. */
export function formatOpenAiAgentsFrame(frame: OpenAiAgentsFrame): string {
  return formatSseFrame({ data: JSON.stringify(frame) });
}

/** A renderer for one stream of this dialect. */
export function createOpenAiAgentsRenderer(context: OpenAiAgentsContext): StreamRenderer {
  const stream = createOpenAiAgentsStream(context);
  return {
    render: (event) => toOpenAiAgentsFrames(event, stream).map(formatOpenAiAgentsFrame).join(''),
    fail: (error) => formatOpenAiAgentsFrame(errorFrame(error, { at: new Date().toISOString(), sessionId: stream.sessionId })),
  };
}
