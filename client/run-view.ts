import type { JsonValue, PendingInput, PublicError, RunEventType, RunTarget, Usage } from '../src/events/run-event.ts';

/** Where a run (or one agent inside it) stands. `idle` means no event has arrived yet; `awaiting_input`: paused for a person. */
export type RunStatus = 'idle' | 'running' | 'awaiting_input' | 'completed' | 'failed' | 'cancelled';

/** One tool call as a card shows it: the input at once, then the output and duration, or the error. */
export type ToolCallView = {
  toolCallId: string;
  toolName: string;
  args: JsonValue;
  status: 'running' | 'completed' | 'failed';
  result?: JsonValue;
  error?: PublicError;
  /** As measured by the server around the tool's execution, in milliseconds. */
  durationMs?: number;
  startedAt: string;
  endedAt?: string;
  laneKey: string;
};

/** An orchestrator's decision: which members get which task, and why. */
export type RoutingView = { seq: number; ts: string; laneKey: string; mode: string; memberIds: string[]; reason: string; task?: string };

/** What a lane shows, in arrival order. Tool items point into `RunView.tools`. */
export type LaneItem =
  | { kind: 'reasoning'; id: string; text: string }
  | { kind: 'message'; id: string; text: string; isComplete: boolean }
  | { kind: 'tool'; id: string }
  | { kind: 'routing'; id: string; seq: number };

/** One agent inside a run, keyed by its path (`''` for a single agent, `research/searcher#2` for a member). */
export type LaneView = {
  key: string;
  path: string[];
  agentId: string;
  name: string;
  role: 'agent' | 'orchestrator' | 'member' | 'system';
  status: RunStatus;
  task?: string;
  model?: string;
  startedAt?: string;
  endedAt?: string;
  firstTokenAt?: string;
  output?: string;
  error?: PublicError;
  items: LaneItem[];
  /** Sum of this agent's own `usage` events (steps); members are not folded into their team. */
  usage: Usage;
};

/** Counters that prove a stream was folded exactly once per seq. */
export type SeqStats = { eventCount: number; lastSeq: number; duplicates: number; missing: number };

/** The whole run as a UI draws it, built only by `applyEvent`. Times are ISO-8601 strings from the events. */
export type RunView = SeqStats & {
  runId?: string;
  target?: RunTarget;
  input?: string;
  sessionId?: string;
  model?: string;
  status: RunStatus;
  lanes: Record<string, LaneView>;
  /** Lane keys in the order their agents first appeared. */
  laneOrder: string[];
  tools: Record<string, ToolCallView>;
  toolOrder: string[];
  routing: RoutingView[];
  progress?: { percent: number; message?: string };
  /** Tool calls waiting for a person (approvals, questions), with the agent that made each: empty unless paused. */
  pending: PendingInput[];
  /** When an unanswered pause fails the run, if it has a limit. */
  pendingExpiresAt?: string;
  /** The final answer as it streams: text of the top-level agent or the team's own voice. */
  answer: string;
  output?: string;
  error?: PublicError;
  cancelReason?: string;
  /** The run's total from its terminal event; until then the sum of the steps so far. */
  usage: Usage;
  countsByType: Partial<Record<RunEventType, number>>;
  timings: RunTimings;
};

/** Milestones of a run. `firstTokenMs` counts any generated text (reasoning or answer) from `run.started`. */
export type RunTimings = {
  startedAt?: string;
  firstTokenAt?: string;
  firstAnswerAt?: string;
  endedAt?: string;
  firstTokenMs?: number;
  firstAnswerMs?: number;
  durationMs?: number;
};

const ZERO: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/** A view before any event. */
export function emptyRunView(): RunView {
  return {
    status: 'idle', lanes: {}, laneOrder: [], tools: {}, toolOrder: [], routing: [], pending: [], answer: '', usage: ZERO,
    countsByType: {}, timings: {}, eventCount: 0, lastSeq: 0, duplicates: 0, missing: 0,
  };
}
