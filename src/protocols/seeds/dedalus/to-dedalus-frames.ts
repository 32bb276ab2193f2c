import { isAnswerEvent } from '../../../events/answer-events.ts';
import { assertNever, type JsonValue, type PublicError, type RunEvent } from '../../../events/run-event.ts';
import { formatSseFrame } from '../../sse.ts';
import type { StreamRenderer } from '../../stream-renderer.ts';
import { toSnakeUsage } from '../snake-usage.ts';

/**
 * The Dedalus dialect (seed 001, "FastAPI Agent Streaming Implementation Summary"). Each frame is
 *   event: <type>
 *   data: {"event": "<type>", "data": {...}, "timestamp": "<ISO-8601>"}
 * The JSON repeats the type because the document's clients read it from there (the Python client parses
 * every `data: ` line; the React hook tests `event.event` and reads `event.data.content`), while the
 * `event:` field serves EventSource-style listeners. `complete` always ends the stream, after `error` too.
 */

/** The document's `EventType` values. */
export type DedalusEventType = 'thinking' | 'tool_use' | 'tool_result' | 'partial_output' | 'final_output' | 'error' | 'complete';

/** The document's `StreamEvent`: the type, its data, and when it happened. */
export type DedalusStreamEvent = { event: DedalusEventType; data: { [key: string]: JsonValue }; timestamp: string };

/** What one stream remembers: the model the run uses, announced by `run.started`, echoed by `final_output`. */
export type DedalusStreamState = { model: string | null };

/** Maps one run event to the Dedalus events it becomes. */
export function toDedalusFrames(event: RunEvent, state: DedalusStreamState): DedalusStreamEvent[] {
  const make = (type: DedalusEventType, data: { [key: string]: JsonValue }): DedalusStreamEvent => ({ event: type, data, timestamp: event.ts });
  switch (event.type) {
    case 'run.started':
      state.model = event.model;
      return []; // Dedalus has no start event; the first thinking frame is the sign of life
    case 'agent.started':
      return [];
    case 'reasoning.delta':
      return [make('thinking', { content: event.delta })];
    case 'message.delta':
      return isAnswerEvent(event) ? [make('partial_output', { content: event.delta })] : [];
    case 'message.completed':
      return []; // final_output carries the whole answer
    case 'tool.started':
      return [make('tool_use', { tool_name: event.toolName, tool_input: event.args, tool_call_id: event.toolCallId })];
    case 'tool.completed':
      return [make('tool_result', { tool_name: event.toolName, tool_call_id: event.toolCallId, result: event.result, is_error: false })];
    case 'tool.failed':
      return [make('tool_result', { tool_name: event.toolName, tool_call_id: event.toolCallId, result: null, is_error: true, error: event.error })];
    case 'team.routed':
      return []; // the Dedalus routes run a single agent
    case 'agent.completed':
      return [];
    case 'usage':
      return []; // final_output carries the run's total
    case 'progress':
      return [];
    case 'run.completed':
      return [
        make('final_output', { content: event.output, model: state.model, usage: toSnakeUsage(event.usage) }),
        make('complete', { status: 'completed', run_id: event.runId }),
      ];
    case 'run.failed':
      return [make('error', { error: event.error.message, code: event.error.code }), make('complete', { status: 'failed', run_id: event.runId })];
    case 'run.cancelled':
      return [make('error', { error: `The run was cancelled: ${event.reason}`, code: 'cancelled' }), make('complete', { status: 'cancelled', run_id: event.runId })];
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

/** Formats one Dedalus event as an SSE frame. */
export function formatDedalusFrame(frame: DedalusStreamEvent): string {
  return formatSseFrame({ event: frame.event, data: JSON.stringify(frame) });
}

/** The frames of a failure before any run exists (bad body, unknown model or MCP server): `error`, then `complete`. */
export function renderDedalusFailure(error: PublicError, timestamp = new Date().toISOString()): string {
  return formatDedalusFrame({ event: 'error', data: { error: error.message, code: error.code }, timestamp })
    + formatDedalusFrame({ event: 'complete', data: { status: 'failed', run_id: null }, timestamp });
}

/** A renderer for one Dedalus stream. */
export function createDedalusRenderer(): StreamRenderer {
  const state: DedalusStreamState = { model: null };
  return {
    render: (event) => toDedalusFrames(event, state).map(formatDedalusFrame).join(''),
    // The store broke mid-stream: still end with error + complete, as the document promises.
    fail: (error) => renderDedalusFailure(error),
  };
}
