import type { UIMessageChunk } from 'ai';
import { assertNever, type AgentRef, type JsonValue, type PendingInput, type PublicError, type RunEvent, type Usage } from '../../events/run-event.ts';
import { approvalIdOf } from './chat-approvals.ts';

// The AI SDK UI message stream protocol: https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol
// (chunk shapes checked against the installed `ai` package's UIMessageChunk type and uiMessageChunkSchema).

/** One team member's invocation as the `data-agent` part carries it; replaced in place (same id) as it progresses. */
export type AgentLane = {
  path: string[];
  agentId: string;
  name: string;
  role: AgentRef['role'];
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  task?: string;
  /** The member's output, filled in when it completes (its live text comes as `data-agent-delta`). */
  text: string;
  tools: { toolCallId: string; toolName: string; input: JsonValue; state: 'running' | 'completed' | 'failed'; output?: JsonValue; errorText?: string }[];
  usage?: Usage;
  error?: PublicError;
};

/** A live fragment of a member's text or thinking: transient, so it reaches `onData` but is not kept in the message. */
export type AgentLaneDelta = { laneId: string; kind: 'text' | 'reasoning'; delta: string };

/** Per-stream state: create one per response, call `map` once per event in seq order. */
export type UiChunkMapper = { map(event: RunEvent): UIMessageChunk[] };

/**
 * `continuation`: the stream goes on with a run that paused for input (the chat answered), so it starts after
 * `run.started`: it re-opens the assistant message (same id) and skips the start of the calls that were pending.
 */
export type UiChunkMapperOptions = { continuation?: { answeredToolCallIds: readonly string[] } };

/**
 * Maps one run's events, in seq order, to UI message stream chunks. The assistant message is the run:
 * its text and reasoning parts are the answer (a single agent, or a team's own voice), its tool parts the
 * answerer's tool calls, one step per answering agent. Team members are lanes: a `data-agent` part per
 * invocation (id `<path>@<seq>`), with `data-agent-delta` (transient) for their live text. Routing is
 * `data-team-routed`, progress one `data-progress` part updated in place.
 */
export function createUiChunkMapper(options: UiChunkMapperOptions = {}): UiChunkMapper {
  const answered = new Set(options.continuation?.answeredToolCallIds ?? []);
  let started = false;
  const texts = new Map<string, string>(); // messageId -> path key
  const reasonings = new Map<string, string>(); // path key -> reasoningId
  const lanes = new Map<string, { laneId: string; lane: AgentLane }>(); // path key -> live invocation
  let openSteps = 0;

  const keyOf = (agent: AgentRef) => agent.path.join('/');
  const isMember = (agent: AgentRef) => agent.path.length >= 2;
  const laneChunk = (laneId: string, lane: AgentLane): UIMessageChunk => ({ type: 'data-agent', id: laneId, data: structuredClone(lane) });

  function closeReasoning(pathKey: string): UIMessageChunk[] {
    const reasoningId = reasonings.get(pathKey);
    if (reasoningId === undefined) return [];
    reasonings.delete(pathKey);
    return [{ type: 'reasoning-end', id: reasoningId }];
  }

  function closeTexts(pathKey?: string): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    for (const [messageId, owner] of texts) {
      if (pathKey !== undefined && owner !== pathKey) continue;
      texts.delete(messageId);
      out.push({ type: 'text-end', id: messageId });
    }
    return out;
  }

  function closeEverything(laneStatus: AgentLane['status']): UIMessageChunk[] {
    const out: UIMessageChunk[] = [...[...reasonings.keys()].flatMap(closeReasoning), ...closeTexts()];
    for (const { laneId, lane } of lanes.values()) out.push(laneChunk(laneId, { ...lane, status: laneStatus }));
    lanes.clear();
    for (; openSteps > 0; openSteps -= 1) out.push({ type: 'finish-step' });
    return out;
  }

  function updateLane(agent: AgentRef, change: (lane: AgentLane) => void): UIMessageChunk[] {
    const live = lanes.get(keyOf(agent));
    if (!live) return [];
    change(live.lane);
    return [laneChunk(live.laneId, live.lane)];
  }

  function toChunks(event: RunEvent): UIMessageChunk[] {
    const pathKey = keyOf(event.agent);
    const member = isMember(event.agent);
    switch (event.type) {
      case 'run.started':
        return [{ type: 'start', messageId: event.runId, messageMetadata: { runId: event.runId, sessionId: event.input.sessionId ?? null, target: event.target, model: event.model } }];
      case 'agent.started': {
        if (!member) {
          openSteps += 1;
          return [{ type: 'start-step' }];
        }
        const laneId = `${pathKey}@${event.seq}`;
        const lane: AgentLane = {
          path: event.agent.path, agentId: event.agent.id, name: event.agent.name, role: event.agent.role, status: 'running',
          ...(event.task === undefined ? {} : { task: event.task }), text: '', tools: [],
        };
        lanes.set(pathKey, { laneId, lane });
        return [laneChunk(laneId, lane)];
      }
      case 'reasoning.delta': {
        if (member) return laneDelta(event.agent, 'reasoning', event.delta);
        if (reasonings.get(pathKey) === event.reasoningId) return [{ type: 'reasoning-delta', id: event.reasoningId, delta: event.delta }];
        const out = closeReasoning(pathKey);
        reasonings.set(pathKey, event.reasoningId);
        out.push({ type: 'reasoning-start', id: event.reasoningId }, { type: 'reasoning-delta', id: event.reasoningId, delta: event.delta });
        return out;
      }
      case 'message.delta': {
        if (member) return laneDelta(event.agent, 'text', event.delta);
        const out: UIMessageChunk[] = [];
        if (!texts.has(event.messageId)) {
          texts.set(event.messageId, pathKey);
          out.push({ type: 'text-start', id: event.messageId });
        }
        if (event.delta !== '') out.push({ type: 'text-delta', id: event.messageId, delta: event.delta });
        return out;
      }
      case 'message.completed': {
        if (member) return []; // the lane's text is set once, from the member's output, when it completes
        if (texts.delete(event.messageId)) return [{ type: 'text-end', id: event.messageId }];
        if (event.text === '') return [];
        // A message that arrived whole (no deltas).
        return [{ type: 'text-start', id: event.messageId }, { type: 'text-delta', id: event.messageId, delta: event.text }, { type: 'text-end', id: event.messageId }];
      }
      case 'tool.started':
        // A call that was pending already has its part (it asked for approval): its output comes next.
        if (answered.has(event.toolCallId)) return [];
        if (member) return updateLane(event.agent, (lane) => { lane.tools.push({ toolCallId: event.toolCallId, toolName: event.toolName, input: event.args, state: 'running' }); });
        // The server runs the tool; its input is complete when the call starts.
        return [
          { type: 'tool-input-start', toolCallId: event.toolCallId, toolName: event.toolName },
          { type: 'tool-input-available', toolCallId: event.toolCallId, toolName: event.toolName, input: event.args },
        ];
      case 'tool.completed':
        if (member) return updateTool(event.agent, event.toolCallId, { state: 'completed', output: event.result });
        return [{ type: 'tool-output-available', toolCallId: event.toolCallId, output: event.result }];
      case 'tool.failed':
        if (answered.has(event.toolCallId) && event.error.code === 'tool_rejected') return [{ type: 'tool-output-denied', toolCallId: event.toolCallId }];
        if (member) return updateTool(event.agent, event.toolCallId, { state: 'failed', errorText: event.error.message });
        return [{ type: 'tool-output-error', toolCallId: event.toolCallId, errorText: event.error.message }];
      case 'team.routed':
        return [{
          type: 'data-team-routed', id: `routed-${event.seq}`,
          data: { by: event.agent.id, path: event.agent.path, mode: event.mode, memberIds: event.memberIds, reason: event.reason, ...(event.task === undefined ? {} : { task: event.task }) },
        }];
      case 'progress':
        return [{ type: 'data-progress', id: 'progress', data: event.message === undefined ? { percent: event.percent } : { percent: event.percent, message: event.message } }];
      case 'usage':
        return []; // per-step usage: the run's total goes in the finish chunk's metadata
      case 'agent.completed': {
        const out = closeTexts(pathKey);
        if (!member) {
          if (openSteps > 0) {
            openSteps -= 1;
            out.push({ type: 'finish-step' });
          }
          return out;
        }
        out.push(...updateLane(event.agent, (lane) => {
          lane.status = event.error ? 'failed' : 'completed';
          lane.usage = event.usage;
          if (event.error) lane.error = event.error;
          else lane.text = event.output;
        }));
        lanes.delete(pathKey);
        return out;
      }
      case 'run.completed':
        return [...closeEverything('completed'), { type: 'finish', finishReason: 'stop', messageMetadata: { runId: event.runId, usage: event.usage } }];
      case 'run.failed':
        return [
          ...closeEverything('failed'),
          { type: 'error', errorText: event.error.message },
          { type: 'finish', finishReason: 'error', messageMetadata: { runId: event.runId, error: event.error, ...(event.usage ? { usage: event.usage } : {}) } },
        ];
      case 'run.cancelled':
        return [...closeEverything('cancelled'), { type: 'abort', reason: event.reason }];
      case 'step.completed':
        return []; // a checkpoint for resuming the run
      case 'run.awaiting_input':
        return pauseChunks(event.runId, event.pending);
      case 'input.received':
        // Answered in part: what is left still waits, so this response ends at once asking for it.
        return event.pending.length > 0 ? pauseChunks(event.runId, event.pending.filter((item) => !answered.has(item.toolCallId)), event.pending) : [];
      case 'run.resumed':
        // The UI message stream cannot retract text: a data part names the cut-off text parts (docs/protocols/ai-sdk-ui.md).
        return [{ type: 'data-run-resumed', id: `resumed-${event.seq}`, data: { attempt: event.attempt, reason: event.reason, discardedMessageIds: event.discardedMessageIds } }];
      default:
        return assertNever(event);
    }
  }

  /**
   * The run pauses: each pending call becomes a tool part of the message, an approval with its
   * `tool-approval-request` (useChat's `addToolApprovalResponse` answers it), a question (`ask_user`) with no output
   * (answered with `addToolOutput`). The response ends here; the chat's next request carries the answers.
   */
  function pauseChunks(runId: string, fresh: readonly PendingInput[], all: readonly PendingInput[] = fresh): UIMessageChunk[] {
    const out: UIMessageChunk[] = [...[...reasonings.keys()].flatMap(closeReasoning), ...closeTexts()];
    for (const item of fresh) {
      const providerMetadata = { agentstream: { runId, path: item.agent.path, kind: item.kind, ...(item.question === undefined ? {} : { question: item.question }) } };
      out.push(
        { type: 'tool-input-start', toolCallId: item.toolCallId, toolName: item.toolName },
        { type: 'tool-input-available', toolCallId: item.toolCallId, toolName: item.toolName, input: item.args, providerMetadata },
      );
      if (item.kind === 'approval') out.push({ type: 'tool-approval-request', approvalId: approvalIdOf(runId, item.toolCallId), toolCallId: item.toolCallId });
    }
    for (; openSteps > 0; openSteps -= 1) out.push({ type: 'finish-step' });
    out.push({ type: 'finish', finishReason: 'tool-calls', messageMetadata: { runId, awaitingInput: all.map((item) => ({ toolCallId: item.toolCallId, kind: item.kind })) } });
    return out;
  }

  function laneDelta(agent: AgentRef, kind: AgentLaneDelta['kind'], delta: string): UIMessageChunk[] {
    const live = lanes.get(keyOf(agent));
    if (!live || delta === '') return [];
    const data: AgentLaneDelta = { laneId: live.laneId, kind, delta };
    return [{ type: 'data-agent-delta', data, transient: true }];
  }

  function updateTool(agent: AgentRef, toolCallId: string, change: Partial<AgentLane['tools'][number]>): UIMessageChunk[] {
    return updateLane(agent, (lane) => {
      const tool = lane.tools.find((candidate) => candidate.toolCallId === toolCallId);
      if (tool) Object.assign(tool, change);
    });
  }

  function map(event: RunEvent): UIMessageChunk[] {
    if (!started) {
      started = true;
      if (options.continuation && event.type !== 'run.started') {
        // The same assistant message (its id is the run's) goes on, in a new step.
        openSteps += 1;
        return [{ type: 'start', messageId: event.runId, messageMetadata: { runId: event.runId, continues: true } }, { type: 'start-step' }, ...map(event)];
      }
    }
    // The answerer's thinking ends when it does anything else.
    const closed = event.type === 'reasoning.delta' || isMember(event.agent) ? [] : closeReasoning(keyOf(event.agent));
    return [...closed, ...toChunks(event)];
  }

  return { map };
}
