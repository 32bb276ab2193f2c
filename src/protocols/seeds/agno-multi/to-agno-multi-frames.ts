import { assertNever, type JsonValue, type RunEvent } from '../../../events/run-event.ts';
import { formatSseFrame } from '../../sse.ts';
import type { StreamRenderer } from '../../stream-renderer.ts';
import { toSnakeUsage } from '../snake-usage.ts';

/**
 * The Agno multi-agent streaming dialect (seed 000, "Agno Multi-Agent Streaming API"): every frame is
 * `data: <event JSON>` with NO `event:` field, because the document's browser client reads frames with
 * `EventSource.onmessage` and switches on `data.event_type`. Frames carry `id: <runId>:<seq>` so a
 * reconnecting EventSource resumes the same run instead of starting a new one.
 * SSE: https://html.spec.whatwg.org/multipage/server-sent-events.html
 */

/** The document's event types, plus `agent_error` (a member failed) and `error` (the run failed). */
export type AgnoEventType =
  | 'agent_started' | 'agent_thinking' | 'tool_started' | 'tool_completed' | 'agent_response' | 'agent_completed'
  | 'team_started' | 'orchestrator_thinking' | 'orchestrator_routing' | 'team_response' | 'team_completed'
  | 'agent_error' | 'error';

/** One event, in the document's "Event Structure": every key always present, `null` when it does not apply. */
export type AgnoEvent = {
  event_type: AgnoEventType;
  timestamp: string;
  agent_id: string;
  content: string | null;
  tool_name: string | null;
  tool_input: JsonValue | null;
  tool_output: JsonValue | null;
  metadata: { [key: string]: JsonValue } | null;
};

/**
 * How one stream is rendered. `agent` streams say `agent_id: <userId>` (the document's `"agent_id": "demo_user"`);
 * `team` streams name the emitting agent (the team's id, or a member's id such as `searcher#2`).
 * Without intermediate steps, thinking and tool frames are left out.
 */
export type AgnoStreamContext = { mode: 'agent' | 'team'; userId: string; projectId: string | null; intermediateSteps: boolean };

/** One stream: how it renders, and what it remembers between events (each tool call's input, echoed on its `tool_completed`). */
export type AgnoStream = { context: AgnoStreamContext; toolInputs: Map<string, JsonValue> };

/** A fresh stream. */
export function createAgnoStream(context: AgnoStreamContext): AgnoStream {
  return { context, toolInputs: new Map() };
}

/** Maps one run event to the Agno events it becomes (none, one, or two for a failure). */
export function toAgnoMultiFrames(event: RunEvent, stream: AgnoStream): AgnoEvent[] {
  const { context, toolInputs } = stream;
  const team = context.mode === 'team';
  const isMember = event.agent.path.length >= 2;
  const agentId = team ? (event.agent.path.at(-1) ?? event.agent.id) : context.userId;
  const make = (event_type: AgnoEventType, fields: Partial<Omit<AgnoEvent, 'event_type' | 'timestamp' | 'agent_id'>> = {}): AgnoEvent => ({
    event_type, timestamp: event.ts, agent_id: agentId,
    content: fields.content ?? null, tool_name: fields.tool_name ?? null, tool_input: fields.tool_input ?? null,
    tool_output: fields.tool_output ?? null, metadata: fields.metadata ?? null,
  });
  // In a team stream every frame says which agent spoke; a single agent's stream has only one.
  const who = (extra: { [key: string]: JsonValue } = {}) => (team ? { agent_name: event.agent.name, ...extra } : Object.keys(extra).length > 0 ? extra : null);
  const completedType = team ? 'team_completed' : 'agent_completed';

  switch (event.type) {
    case 'run.started':
      return [make(team ? 'team_started' : 'agent_started', {
        content: event.input.text,
        metadata: team
          ? { run_id: event.runId, session_id: event.input.sessionId ?? null, model: event.model, team_id: event.target.id }
          : { run_id: event.runId, session_id: event.input.sessionId ?? null, model: event.model, user_id: context.userId, project_id: context.projectId },
      })];
    case 'agent.started':
      // The run's own agent (or team) was announced by run.started; only members start visibly.
      return isMember ? [make('agent_started', { content: event.task ?? null, metadata: who({ model: event.model ?? null }) })] : [];
    case 'reasoning.delta':
      if (!context.intermediateSteps) return [];
      return [make(team && !isMember ? 'orchestrator_thinking' : 'agent_thinking', { content: event.delta, metadata: who() })];
    case 'message.delta':
      // Every delta is its own frame, as Agno's `stream=True` yields one chunk per token; the SSE writer
      // already batches the frames of one tick into one socket write.
      return [make(team && !isMember ? 'team_response' : 'agent_response', { content: event.delta, metadata: who() })];
    case 'message.completed':
      return []; // the deltas carried the text; *_completed carries the whole answer
    case 'tool.started':
      toolInputs.set(event.toolCallId, event.args);
      if (!context.intermediateSteps) return [];
      return [make('tool_started', { tool_name: event.toolName, tool_input: event.args, metadata: who({ tool_call_id: event.toolCallId }) })];
    case 'tool.completed': {
      const input = toolInputs.get(event.toolCallId) ?? null;
      toolInputs.delete(event.toolCallId);
      if (!context.intermediateSteps) return [];
      return [make('tool_completed', {
        tool_name: event.toolName, tool_input: input, tool_output: event.result,
        metadata: who({ tool_call_id: event.toolCallId, duration_ms: event.durationMs }),
      })];
    }
    case 'tool.failed': {
      const input = toolInputs.get(event.toolCallId) ?? null;
      toolInputs.delete(event.toolCallId);
      if (!context.intermediateSteps) return [];
      // Agno reports a failed tool as a completed one flagged `tool_call_error`.
      return [make('tool_completed', {
        content: event.error.message, tool_name: event.toolName, tool_input: input, tool_output: { error: event.error },
        metadata: who({ tool_call_id: event.toolCallId, duration_ms: event.durationMs, tool_call_error: true }),
      })];
    }
    case 'team.routed':
      return [make('orchestrator_routing', { content: event.reason, metadata: who({ members: event.memberIds, mode: event.mode, task: event.task ?? null }) })];
    case 'agent.completed':
      // Never `agent_completed` for a member: the document's client closes its EventSource on that event.
      return isMember && event.error ? [make('agent_error', { content: event.error.message, metadata: who({ error: event.error }) })] : [];
    case 'usage':
      return []; // the run's total arrives with *_completed
    case 'progress':
      return []; // Agno has no progress event
    case 'run.completed':
      return [make(completedType, { content: event.output, metadata: { run_id: event.runId, status: 'completed', usage: toSnakeUsage(event.usage) } })];
    case 'run.failed':
      return [
        make('error', { content: event.error.message, metadata: { run_id: event.runId, code: event.error.code } }),
        // A completed event always ends the stream, so clients that close on it close on failures too.
        make(completedType, { metadata: { run_id: event.runId, status: 'failed', error: event.error } }),
      ];
    case 'run.cancelled':
      return [make(completedType, { metadata: { run_id: event.runId, status: 'cancelled', reason: event.reason } })];
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

/** A renderer for one Agno stream. */
export function createAgnoMultiRenderer(context: AgnoStreamContext): StreamRenderer {
  const stream = createAgnoStream(context);
  return {
    render(event) {
      let frames = '';
      for (const frame of toAgnoMultiFrames(event, stream)) frames += formatSseFrame({ id: `${event.runId}:${event.seq}`, data: JSON.stringify(frame) });
      return frames;
    },
  };
}
