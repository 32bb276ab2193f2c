import { isAnswerEvent } from '../src/events/answer-events.ts';
import { addUsage, assertNever, type RunEvent } from '../src/events/run-event.ts';
import type { LaneItem, LaneView, RunStatus, RunView, ToolCallView } from './run-view.ts';

/**
 * Folds one event into a run's view, returning a new view (the input is never changed). Events at or
 * below the last seq are counted as duplicates and otherwise ignored; a jump in seq counts the missing
 * ones. The UI, replay and tests all build their views through this one reducer.
 */
export function applyEvent(view: RunView, event: RunEvent): RunView {
  if (event.seq <= view.lastSeq) return { ...view, duplicates: view.duplicates + 1 };
  const next: RunView = {
    ...view,
    eventCount: view.eventCount + 1,
    lastSeq: event.seq,
    missing: view.missing + (event.seq - view.lastSeq - 1),
    countsByType: { ...view.countsByType, [event.type]: (view.countsByType[event.type] ?? 0) + 1 },
  };
  return foldBody(next, event);
}

/** `applyEvent` over a batch, e.g. everything that arrived during one animation frame. */
export function applyEvents(view: RunView, events: readonly RunEvent[]): RunView {
  let folded = view;
  for (const event of events) folded = applyEvent(folded, event);
  return folded;
}

/** The lane key of an agent path: `''` for a single agent, `team/member#n` inside a team. */
export function laneKeyOf(path: readonly string[]): string {
  return path.join('/');
}

function foldBody(view: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run.started':
      return {
        ...view, runId: event.runId, target: event.target, input: event.input.text, sessionId: event.input.sessionId,
        model: event.model, status: 'running', timings: { ...view.timings, startedAt: event.ts },
      };
    case 'agent.started':
      return updateLane(view, event, (lane) => ({ ...lane, status: 'running', task: event.task ?? lane.task, model: event.model ?? lane.model, startedAt: lane.startedAt ?? event.ts, endedAt: undefined }));
    case 'reasoning.delta': {
      const withText = updateLane(view, event, (lane) => appendText(lane, { kind: 'reasoning', id: event.reasoningId, text: '' }, event.delta, event.ts));
      return markFirstToken(withText, event.ts, false);
    }
    case 'message.delta': {
      const withText = updateLane(view, event, (lane) => appendText(lane, { kind: 'message', id: event.messageId, text: '', isComplete: false }, event.delta, event.ts));
      if (!isAnswerEvent(event)) return markFirstToken(withText, event.ts, false);
      const answer = withText.lanes[laneKeyOf(event.agent.path)].items.find((item) => item.kind === 'message' && item.id === event.messageId);
      return markFirstToken({ ...withText, answer: answer?.kind === 'message' ? answer.text : withText.answer }, event.ts, true);
    }
    case 'message.completed': {
      const withText = updateLane(view, event, (lane) => completeMessage(lane, event.messageId, event.text));
      return isAnswerEvent(event) ? { ...withText, answer: event.text } : withText;
    }
    case 'tool.started': {
      const laneKey = laneKeyOf(event.agent.path);
      const tool: ToolCallView = { toolCallId: event.toolCallId, toolName: event.toolName, args: event.args, status: 'running', startedAt: event.ts, laneKey };
      const withLane = updateLane(view, event, (lane) => ({ ...lane, items: [...lane.items, { kind: 'tool', id: event.toolCallId }] }));
      return { ...withLane, tools: { ...withLane.tools, [event.toolCallId]: tool }, toolOrder: [...withLane.toolOrder, event.toolCallId] };
    }
    case 'tool.completed':
      return updateTool(view, event.toolCallId, { status: 'completed', result: event.result, durationMs: event.durationMs, endedAt: event.ts });
    case 'tool.failed':
      return updateTool(view, event.toolCallId, { status: 'failed', error: event.error, durationMs: event.durationMs, endedAt: event.ts });
    case 'team.routed': {
      const laneKey = laneKeyOf(event.agent.path);
      const routing = { seq: event.seq, ts: event.ts, laneKey, mode: event.mode, memberIds: event.memberIds, reason: event.reason, task: event.task };
      const withLane = updateLane(view, event, (lane) => ({ ...lane, items: [...lane.items, { kind: 'routing', id: `routing-${event.seq}`, seq: event.seq }] }));
      return { ...withLane, routing: [...withLane.routing, routing] };
    }
    case 'agent.completed':
      return updateLane(view, event, (lane) => ({
        ...lane, status: event.error ? 'failed' : 'completed', output: event.output, error: event.error, endedAt: event.ts,
        // An agent that reported no step usage still has its total; a team's own total includes its
        // members, who report their own, so it is not taken.
        usage: lane.usage.totalTokens === 0 && lane.role !== 'orchestrator' ? event.usage : lane.usage,
      }));
    case 'usage': {
      const withLane = updateLane(view, event, (lane) => ({ ...lane, usage: addUsage(lane.usage, event.usage) }));
      return { ...withLane, usage: addUsage(withLane.usage, event.usage) };
    }
    case 'progress':
      return { ...view, progress: { percent: event.percent, message: event.message } };
    case 'step.completed':
      return view; // a checkpoint: its text and tool calls already arrived as their own events
    case 'run.resumed':
      return dropDiscarded(view, new Set(event.discardedMessageIds));
    case 'run.awaiting_input':
      return { ...view, status: 'awaiting_input', pending: event.pending, pendingExpiresAt: event.expiresAt ?? undefined };
    case 'input.received':
      return { ...view, status: event.pending.length > 0 ? 'awaiting_input' : 'running', pending: event.pending, pendingExpiresAt: event.pending.length > 0 ? view.pendingExpiresAt : undefined };
    case 'run.completed':
      return endRun({ ...view, output: event.output, usage: event.usage }, 'completed', event.ts);
    case 'run.failed':
      return endRun({ ...view, error: event.error, usage: event.usage ?? view.usage }, 'failed', event.ts);
    case 'run.cancelled':
      return endRun({ ...view, cancelReason: event.reason, usage: event.usage ?? view.usage }, 'cancelled', event.ts);
    default:
      return assertNever(event);
  }
}

/** A new attempt re-runs a cut-off model step: the text that step had streamed goes, its replacement follows. */
function dropDiscarded(view: RunView, discarded: ReadonlySet<string>): RunView {
  if (discarded.size === 0) return view;
  const lanes: RunView['lanes'] = {};
  let answerDropped = false;
  for (const [key, lane] of Object.entries(view.lanes)) {
    const items = lane.items.filter((item) => {
      const drop = (item.kind === 'message' || item.kind === 'reasoning') && discarded.has(item.id);
      if (drop && item.kind === 'message' && item.text === view.answer) answerDropped = true;
      return !drop;
    });
    lanes[key] = items.length === lane.items.length ? lane : { ...lane, items };
  }
  return { ...view, lanes, answer: answerDropped ? '' : view.answer };
}

function updateLane(view: RunView, event: RunEvent, change: (lane: LaneView) => LaneView): RunView {
  const key = laneKeyOf(event.agent.path);
  const existing = view.lanes[key];
  const lane = existing ?? {
    key, path: event.agent.path, agentId: event.agent.id, name: event.agent.name, role: event.agent.role,
    status: 'idle' as RunStatus, items: [], usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
  return { ...view, lanes: { ...view.lanes, [key]: change(lane) }, laneOrder: existing ? view.laneOrder : [...view.laneOrder, key] };
}

type TextItem = Extract<LaneItem, { text: string }>;

function appendText(lane: LaneView, fresh: TextItem, delta: string, ts: string): LaneView {
  const index = findItem(lane.items, fresh.kind, fresh.id);
  const items = lane.items.slice();
  if (index === -1) items.push({ ...fresh, text: delta });
  else {
    const item = items[index] as TextItem;
    items[index] = { ...item, text: item.text + delta };
  }
  return { ...lane, items, firstTokenAt: lane.firstTokenAt ?? ts, status: lane.status === 'idle' ? 'running' : lane.status };
}

function completeMessage(lane: LaneView, messageId: string, text: string): LaneView {
  const index = findItem(lane.items, 'message', messageId);
  const items = lane.items.slice();
  const item: LaneItem = { kind: 'message', id: messageId, text, isComplete: true };
  if (index === -1) items.push(item);
  else items[index] = item;
  return { ...lane, items };
}

function findItem(items: readonly LaneItem[], kind: LaneItem['kind'], id: string): number {
  // Text streams into the newest items, so search from the end.
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (items[index].kind === kind && items[index].id === id) return index;
  }
  return -1;
}

function updateTool(view: RunView, toolCallId: string, change: Partial<ToolCallView>): RunView {
  const tool = view.tools[toolCallId];
  if (!tool) return view;
  return { ...view, tools: { ...view.tools, [toolCallId]: { ...tool, ...change } } };
}

function markFirstToken(view: RunView, ts: string, isAnswer: boolean): RunView {
  const timings = { ...view.timings };
  if (!timings.firstTokenAt) {
    timings.firstTokenAt = ts;
    timings.firstTokenMs = millisBetween(timings.startedAt, ts);
  }
  if (isAnswer && !timings.firstAnswerAt) {
    timings.firstAnswerAt = ts;
    timings.firstAnswerMs = millisBetween(timings.startedAt, ts);
  }
  return timings.firstTokenAt === view.timings.firstTokenAt && timings.firstAnswerAt === view.timings.firstAnswerAt ? view : { ...view, timings };
}

function endRun(view: RunView, status: 'completed' | 'failed' | 'cancelled', ts: string): RunView {
  const lanes = { ...view.lanes };
  if (status !== 'completed') {
    for (const key of view.laneOrder) {
      if (lanes[key].status === 'running' || lanes[key].status === 'idle') lanes[key] = { ...lanes[key], status, endedAt: lanes[key].endedAt ?? ts };
    }
  }
  const tools = { ...view.tools };
  for (const id of view.toolOrder) {
    if (tools[id].status === 'running' && status !== 'completed') tools[id] = { ...tools[id], status: 'failed', error: { code: `run_${status}`, message: `The run ${status === 'failed' ? 'failed' : 'was cancelled'} before the tool finished.` } };
  }
  return { ...view, status, lanes, tools, pending: [], pendingExpiresAt: undefined, timings: { ...view.timings, endedAt: ts, durationMs: millisBetween(view.timings.startedAt, ts) } };
}

function millisBetween(from: string | undefined, to: string): number | undefined {
  if (!from) return undefined;
  return Date.parse(to) - Date.parse(from);
}

