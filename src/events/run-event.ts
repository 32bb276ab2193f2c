// The catalogue is plain data that imports nothing, so `client/` and the browser can still take these types.
import type { ErrorCode } from '../errors/error-codes.ts';

/**
 * The one event model of agentstream. Every producer emits these, every consumer reads them.
 * Events are plain data (stored, fanned out, replayed): no class instances, functions or Errors.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who emitted an event. `path` locates the agent inside a team: `[]` for the top level, `["research", "searcher#2"]` for a member. */
export type AgentRef = {
  id: string;
  name: string;
  /** `agent` for a single agent, `orchestrator` for a team's own voice, `member` for an agent inside a team. */
  role: 'agent' | 'orchestrator' | 'member' | 'system';
  path: string[];
};

/** Token counts. Every field is a whole number of tokens; `costUsd` is an estimate from the configured price table. */
export type Usage = {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
  costUsd?: number;
};

/** What a client may see of a failure: a stable code from the catalogue and a message we chose to show. */
export type PublicError = { code: ErrorCode; message: string; details?: JsonValue };

export type RunTarget = { kind: 'agent' | 'team'; id: string };

/** A tool call as a model step asked for it (recorded in `step.completed`). */
export type StepToolCall = { toolCallId: string; toolName: string; input: JsonValue };

/**
 * A tool call waiting for a person: an approval of a call to a tool that requires one, or a question the agent
 * asked with `ask_user`. `agent` is the agent that made the call (a team member carries its path).
 */
export type PendingInput = { toolCallId: string; toolName: string; args: JsonValue; kind: 'approval' | 'question'; question?: string; agent: AgentRef };

/** A person's decision on a pending approval, as `POST /v1/runs/{id}/input` takes it and `input.received` records it. */
export type InputDecision = { toolCallId: string; decision: 'approve' | 'reject' | 'edit'; args?: JsonValue; reason?: string };

/** A person's answer to a pending question. */
export type InputAnswer = { toolCallId: string; text: string };

/** The input of a run as recorded in `run.started`. */
export type RunInput = { text: string; sessionId?: string; model?: string };

/** The envelope every event carries. `seq` is gapless per run and starts at 1. `ts` is ISO-8601. */
export type Envelope = { runId: string; seq: number; ts: string; agent: AgentRef };

export type RunEventBody =
  | { type: 'run.started'; target: RunTarget; input: RunInput; model: string }
  | { type: 'agent.started'; task?: string; model?: string }
  | { type: 'reasoning.delta'; reasoningId: string; delta: string }
  | { type: 'message.delta'; messageId: string; delta: string }
  | { type: 'message.completed'; messageId: string; text: string }
  /** `clientSide`: a call to a tool the client runs; the turn ends with it pending and no tool.completed follows. */
  | { type: 'tool.started'; toolCallId: string; toolName: string; args: JsonValue; clientSide?: true }
  | { type: 'tool.completed'; toolCallId: string; toolName: string; result: JsonValue; durationMs: number }
  | { type: 'tool.failed'; toolCallId: string; toolName: string; error: PublicError; durationMs: number }
  | { type: 'team.routed'; memberIds: string[]; reason: string; task?: string; mode: string }
  | { type: 'agent.completed'; output: string; usage: Usage; error?: PublicError }
  | { type: 'usage'; usage: Usage; step: number }
  /**
   * A model step's checkpoint: what the model answered (text, tool calls, usage), so a later attempt of the run
   * replays the step instead of calling the model again. `step` counts the model calls of the emitting agent's path.
   */
  | { type: 'step.completed'; step: number; text: string; toolCalls: StepToolCall[]; usage: Usage; finishReason: string }
  /**
   * The run goes on in a new attempt (its worker died, or handed it back on shutdown). The messages named in
   * `discardedMessageIds` (and reasoning ids) belong to a model step that was cut off: clients drop their text; the step is re-run.
   */
  | { type: 'run.resumed'; attempt: number; reason: string; discardedMessageIds: string[] }
  /**
   * The run pauses until a person answers: `pending` lists the calls waiting (approvals, questions). Not terminal:
   * the stream stays open; `POST /v1/runs/{id}/input` resumes the run. `expiresAt`: when an unanswered pause fails
   * the run (`input_timeout`), or null for never.
   */
  | { type: 'run.awaiting_input'; pending: PendingInput[]; expiresAt: string | null }
  /**
   * A person answered some or all pending calls. Each decision and answer names the `path` of the agent that made
   * the call. `pending` is what still waits; when it is empty the run goes on.
   */
  | { type: 'input.received'; decisions: (InputDecision & { path: string[] })[]; answers: (InputAnswer & { path: string[] })[]; pending: PendingInput[] }
  | { type: 'progress'; percent: number; message?: string }
  | { type: 'run.completed'; output: string; usage: Usage }
  | { type: 'run.failed'; error: PublicError; usage?: Usage }
  | { type: 'run.cancelled'; reason: string; usage?: Usage };

export type RunEvent = Envelope & RunEventBody;
export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** An event as a producer emits it: the run manager stamps the envelope. */
export type EmittedEvent = RunEventBody & { agent: AgentRef };

export const RUN_EVENT_TYPES = [
  'run.started', 'agent.started', 'reasoning.delta', 'message.delta', 'message.completed',
  'tool.started', 'tool.completed', 'tool.failed', 'team.routed', 'agent.completed', 'usage',
  'step.completed', 'run.resumed', 'run.awaiting_input', 'input.received', 'progress', 'run.completed', 'run.failed', 'run.cancelled',
] as const satisfies readonly RunEventType[];

export const TERMINAL_EVENT_TYPES = ['run.completed', 'run.failed', 'run.cancelled'] as const;
export type TerminalEvent = RunEventOf<(typeof TERMINAL_EVENT_TYPES)[number]>;

/** True for the three events that end a run's stream. */
export function isTerminal(event: { type: string }): event is TerminalEvent {
  return event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled';
}

/** True for an event after which a run waits for a person: its pause, or an answer that left calls pending. */
export function waitsForInput(event: RunEvent): boolean {
  return event.type === 'run.awaiting_input' || (event.type === 'input.received' && event.pending.length > 0);
}

/** The voice of the run itself (its start, resumption and end): the target at the top of the path. */
export function systemAgentOf(target: RunTarget): AgentRef {
  return { id: target.id, name: target.id, role: target.kind === 'team' ? 'orchestrator' : 'agent', path: [] };
}

/** Compile-time exhaustiveness for switches over the union. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, totalTokens: 0 }) as Usage;

/** Sums usages; `reasoningTokens` and `costUsd` only appear when some part had them. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  if (a.costUsd !== undefined || b.costUsd !== undefined) sum.costUsd = roundCost((a.costUsd ?? 0) + (b.costUsd ?? 0));
  return sum;
}

function roundCost(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
