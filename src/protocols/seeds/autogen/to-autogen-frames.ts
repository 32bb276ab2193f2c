import { assertNever, type JsonValue, type PublicError, type RunEvent } from '../../../events/run-event.ts';
import { formatSseFrame } from '../../sse.ts';
import type { StreamRenderer } from '../../stream-renderer.ts';
import { toSnakeUsage } from '../snake-usage.ts';

/**
 * The AutoGen business-insights dialect (seed 002, "Streaming AutoGen API"). Each frame is
 *   data: {"event": {"event_type", "timestamp", "agent_name", "message", "data": {...}}}
 * with no `event:` field: the document's clients split the body into lines and parse every `data: ` one.
 * AutoGen streams whole agent messages, not tokens, so text arrives with `message.completed` and
 * reasoning/text deltas are left out. `data.progress` (0–100) rides on every frame; it is 100 on
 * `completed`, and a run that ends with no progress events still reports 100 there.
 */

/** The document's event types. */
export type AutogenEventType = 'started' | 'agent_thinking' | 'agent_response' | 'tool_execution' | 'completed' | 'error';

/** One event, with the document's fields; `data` holds per-type fields and always `progress` (0–100). */
export type AutogenEvent = {
  event_type: AutogenEventType;
  timestamp: string;
  agent_name: string;
  message: string;
  data: { [key: string]: JsonValue };
};

/** The frame's JSON: the event inside an `event` envelope, as the document's clients read `event.event.agent_name`. */
export type AutogenEnvelope = { event: AutogenEvent };

/** The name run-level frames (started, completed, error) carry: they come from the framework, not an agent. */
export const SYSTEM_AGENT_NAME = 'System';

/** What one stream remembers: the latest progress, how many agent messages came, tool inputs, routing reasons. */
export type AutogenStreamState = {
  progress: number;
  agentMessages: number;
  toolInputs: Map<string, JsonValue>;
  routingReasons: Map<string, string>;
};

/** A fresh stream's state: no progress, no messages yet. */
export function createAutogenState(): AutogenStreamState {
  return { progress: 0, agentMessages: 0, toolInputs: new Map(), routingReasons: new Map() };
}

/** Maps one run event to the AutoGen events it becomes. */
export function toAutogenFrames(event: RunEvent, state: AutogenStreamState): AutogenEvent[] {
  const make = (type: AutogenEventType, agentName: string, message: string, data: { [key: string]: JsonValue } = {}): AutogenEvent => ({
    event_type: type, timestamp: event.ts, agent_name: agentName, message, data: { ...data, progress: state.progress },
  });
  // A team's own voice (path of one) is the orchestrator; members sit below it; a lone agent has no path.
  const isOrchestrator = event.agent.path.length === 1;
  const memberKey = event.agent.path.at(-1) ?? event.agent.id;

  switch (event.type) {
    case 'run.started':
      return [make('started', SYSTEM_AGENT_NAME, `Processing question: ${event.input.text}`, { question: event.input.text, run_id: event.runId })];
    case 'agent.started': {
      if (event.agent.path.length < 2) return []; // `started` announced the run's own agent or team
      const routing = state.routingReasons.get(memberKey);
      return [make('agent_thinking', event.agent.name, `${event.agent.name} is thinking...`, { task: event.task ?? null, ...(routing ? { routing } : {}) })];
    }
    case 'reasoning.delta':
    case 'message.delta':
      return []; // AutoGen streams whole messages; the text arrives with message.completed
    case 'message.completed':
      // The team's own closing message is the final answer: `completed` carries it as final_response.
      if (isOrchestrator) return [];
      state.agentMessages += 1;
      return [make('agent_response', event.agent.name, event.text)];
    case 'tool.started':
      state.toolInputs.set(event.toolCallId, event.args);
      return [make('tool_execution', event.agent.name, `Executing tool ${event.toolName}`, { tool_name: event.toolName, parameters: event.args, status: 'started' })];
    case 'tool.completed': {
      const parameters = state.toolInputs.get(event.toolCallId) ?? null;
      state.toolInputs.delete(event.toolCallId);
      return [make('tool_execution', event.agent.name, `Tool ${event.toolName} completed`, { tool_name: event.toolName, parameters, status: 'completed', result: event.result })];
    }
    case 'tool.failed': {
      const parameters = state.toolInputs.get(event.toolCallId) ?? null;
      state.toolInputs.delete(event.toolCallId);
      return [make('tool_execution', event.agent.name, `Tool ${event.toolName} failed: ${event.error.message}`, { tool_name: event.toolName, parameters, status: 'failed', error: event.error })];
    }
    case 'team.routed':
      // Shown on the chosen member's agent_thinking frame, which follows at once.
      for (const memberId of event.memberIds) state.routingReasons.set(memberId, event.reason);
      return [];
    case 'agent.completed':
      if (!event.error || event.agent.path.length < 2) return []; // a run's own failure arrives as run.failed
      return [make('agent_response', event.agent.name, `${event.agent.name} failed: ${event.error.message}`, { error: event.error })];
    case 'usage':
      return []; // completed carries the run's total
    case 'progress':
      state.progress = event.percent;
      return [make('agent_thinking', event.agent.name, event.message ?? `Progress: ${event.percent}%`)];
    case 'run.completed':
      state.progress = 100;
      return [make('completed', SYSTEM_AGENT_NAME, 'Task completed', {
        final_response: event.output,
        // As AutoGen counts a result's messages: the question, then every agent message.
        total_messages: state.agentMessages + 1,
        response_length: event.output.length,
        usage: toSnakeUsage(event.usage),
      })];
    case 'run.failed':
      return [make('error', SYSTEM_AGENT_NAME, `Error: ${event.error.message}`, { error: event.error.message, code: event.error.code })];
    case 'run.cancelled':
      return [make('error', SYSTEM_AGENT_NAME, `Cancelled: ${event.reason}`, { error: `The run was cancelled: ${event.reason}`, code: 'cancelled' })];
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

/** Formats one AutoGen event as an SSE frame. */
export function formatAutogenFrame(event: AutogenEvent): string {
  const envelope: AutogenEnvelope = { event };
  return formatSseFrame({ data: JSON.stringify(envelope) });
}

/** The `error` event of a failure before any run exists (bad body, full server). */
export function autogenFailureEvent(error: PublicError, timestamp = new Date().toISOString()): AutogenEvent {
  return { event_type: 'error', timestamp, agent_name: SYSTEM_AGENT_NAME, message: `Error: ${error.message}`, data: { error: error.message, code: error.code, progress: 0 } };
}

/** A renderer for one AutoGen stream; `onEvent` sees every event written (the route logs them). */
export function createAutogenRenderer(options: { onEvent?: (event: AutogenEvent) => void } = {}): StreamRenderer {
  const state = createAutogenState();
  const emit = (events: AutogenEvent[]) => events.map((event) => {
    options.onEvent?.(event);
    return formatAutogenFrame(event);
  }).join('');
  return {
    render: (event) => emit(toAutogenFrames(event, state)),
    fail: (error) => emit([autogenFailureEvent(error)]),
  };
}
