import { RUN_EVENT_TYPES, type RunEvent, type RunEventType } from '../src/events/run-event.ts';
import { applyEvents } from './apply-event.ts';
import { emptyRunView, type LaneView, type RunView } from './run-view.ts';

/** How many events of each type a run has, in the vocabulary's order; types with none are left out. */
export function countEventTypes(events: readonly RunEvent[]): { type: RunEventType; count: number }[] {
  const counts = new Map<RunEventType, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return RUN_EVENT_TYPES.filter((type) => counts.has(type)).map((type) => ({ type, count: counts.get(type)! }));
}

/** One bar of the timeline. Offsets and durations are milliseconds from `run.started`. */
export type TimelineSpan = {
  id: string;
  kind: 'agent' | 'tool';
  label: string;
  startMs: number;
  durationMs: number;
  status: string;
};

/**
 * The Gantt rows of a run: each agent lane from its start to its end, each tool call under the agent
 * that made it. A span still open ends at `nowIso` (or the run's last known time).
 */
export function buildTimeline(view: RunView, nowIso?: string): TimelineSpan[] {
  const origin = view.timings.startedAt ? Date.parse(view.timings.startedAt) : undefined;
  if (origin === undefined) return [];
  const fallbackEnd = Date.parse(view.timings.endedAt ?? nowIso ?? new Date().toISOString());
  const spans: TimelineSpan[] = [];
  for (const key of view.laneOrder) {
    const lane = view.lanes[key];
    const start = lane.startedAt ?? lane.firstTokenAt;
    if (start) {
      const end = lane.endedAt ? Date.parse(lane.endedAt) : fallbackEnd;
      spans.push({ id: `agent:${key}`, kind: 'agent', label: laneLabel(lane), startMs: Date.parse(start) - origin, durationMs: Math.max(0, end - Date.parse(start)), status: lane.status });
    }
    for (const item of lane.items) {
      if (item.kind !== 'tool') continue;
      const tool = view.tools[item.id];
      const toolStart = Date.parse(tool.startedAt);
      // The server's own measurement is more precise than the gap between two millisecond timestamps.
      const duration = tool.durationMs ?? (tool.endedAt ? Date.parse(tool.endedAt) : fallbackEnd) - toolStart;
      spans.push({ id: `tool:${tool.toolCallId}`, kind: 'tool', label: `  ⚙ ${tool.toolName}`, startMs: toolStart - origin, durationMs: Math.max(0, duration), status: tool.status });
    }
  }
  return spans;
}

/** Tokens per agent lane (each member separately), from their own usage reports. */
export function tokensByAgent(view: RunView): { key: string; label: string; inputTokens: number; outputTokens: number; reasoningTokens: number; totalTokens: number }[] {
  return view.laneOrder
    .map((key) => view.lanes[key])
    .filter((lane) => lane.usage.totalTokens > 0)
    .map((lane) => ({
      key: lane.key, label: laneLabel(lane), inputTokens: lane.usage.inputTokens, outputTokens: lane.usage.outputTokens,
      reasoningTokens: lane.usage.reasoningTokens ?? 0, totalTokens: lane.usage.totalTokens,
    }));
}

/** Every tool call with its measured duration (ms) and outcome, in call order. */
export function toolDurations(view: RunView): { id: string; label: string; toolName: string; agent: string; durationMs: number; status: string }[] {
  return view.toolOrder.map((id) => {
    const tool = view.tools[id];
    const lane = view.lanes[tool.laneKey];
    return { id, label: `${tool.toolName} · ${tool.laneKey.split('/').at(-1) || lane?.name || 'agent'}`, toolName: tool.toolName, agent: lane ? laneLabel(lane) : tool.laneKey, durationMs: tool.durationMs ?? 0, status: tool.status };
  });
}

/** A short human name for a lane: the agent's name, plus its instance when a member runs several times in parallel. */
export function laneLabel(lane: Pick<LaneView, 'name' | 'path' | 'agentId'>): string {
  const last = lane.path.at(-1);
  if (!last || last === lane.agentId) return lane.name;
  return `${lane.name} (${last})`;
}

/** Numbers across several runs, each given as its full event list. Milliseconds throughout. */
export type RunsSummary = {
  typeCounts: { type: RunEventType; count: number }[];
  runs: { runId: string; target: string; firstTokenMs?: number; durationMs?: number; eventCount: number; totalTokens: number; status: string }[];
  tools: { toolName: string; calls: number; failed: number; averageMs: number; maxMs: number }[];
  agents: { agentId: string; name: string; runs: number; totalTokens: number; averageMs: number }[];
};

/** Folds each run through `applyEvents` and aggregates: event types, first-token times, tools by name, agents by id. */
export function summarizeRuns(eventLists: readonly (readonly RunEvent[])[]): RunsSummary {
  const typeCounts = countEventTypes(eventLists.flat());
  const tools = new Map<string, { calls: number; failed: number; totalMs: number; maxMs: number }>();
  const agents = new Map<string, { name: string; runs: number; totalTokens: number; totalMs: number; timed: number }>();
  const runs: RunsSummary['runs'] = [];
  for (const events of eventLists) {
    const view = applyEvents(emptyRunView(), events);
    runs.push({
      runId: view.runId ?? '', target: view.target?.id ?? '', firstTokenMs: view.timings.firstTokenMs, durationMs: view.timings.durationMs,
      eventCount: view.eventCount, totalTokens: view.usage.totalTokens, status: view.status,
    });
    for (const id of view.toolOrder) {
      const tool = view.tools[id];
      const entry = tools.get(tool.toolName) ?? { calls: 0, failed: 0, totalMs: 0, maxMs: 0 };
      entry.calls += 1;
      if (tool.status === 'failed') entry.failed += 1;
      entry.totalMs += tool.durationMs ?? 0;
      entry.maxMs = Math.max(entry.maxMs, tool.durationMs ?? 0);
      tools.set(tool.toolName, entry);
    }
    for (const key of view.laneOrder) {
      const lane = view.lanes[key];
      const entry = agents.get(lane.agentId) ?? { name: lane.name, runs: 0, totalTokens: 0, totalMs: 0, timed: 0 };
      entry.runs += 1;
      entry.totalTokens += lane.usage.totalTokens;
      if (lane.startedAt && lane.endedAt) {
        entry.totalMs += Date.parse(lane.endedAt) - Date.parse(lane.startedAt);
        entry.timed += 1;
      }
      agents.set(lane.agentId, entry);
    }
  }
  return {
    typeCounts,
    runs,
    tools: [...tools].map(([toolName, entry]) => ({ toolName, calls: entry.calls, failed: entry.failed, averageMs: entry.totalMs / entry.calls, maxMs: entry.maxMs })),
    agents: [...agents].map(([agentId, entry]) => ({ agentId, name: entry.name, runs: entry.runs, totalTokens: entry.totalTokens, averageMs: entry.timed ? entry.totalMs / entry.timed : 0 })),
  };
}
