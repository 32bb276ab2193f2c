import { EventType, PROTOCOL_VERSION, type Event as AgUiEvent, type JsonPatchOperation, type TokenUsage } from '@ag-ui/core';
import { assertNever, type AgentRef, type PendingInput, type PublicError, type RunEvent, type RunTarget, type Usage } from '../../events/run-event.ts';
import { toInterrupt } from './ag-ui-interrupts.ts';

// AG-UI 1.0 events: https://docs.ag-ui.com/concepts/events and https://docs.ag-ui.com/concepts/subagents
// (the installed @ag-ui/core types and zod schemas are the reference this mapping is checked against).

/**
 * Which AG-UI run a stream answers: the client's own ids, and the state it sent (merged into our snapshot).
 * `continuation`: the stream goes on with a run that paused (the client answered its interrupts), so it starts after
 * `run.started` and opens the AG-UI run itself.
 */
export type AgUiRunContext = { threadId: string; runId: string; state?: unknown; continuation?: boolean };

/** The key under which a run's progress lives in the AG-UI shared state. */
export const AG_UI_STATE_KEY = 'agentstream';

/** What `state[AG_UI_STATE_KEY]` holds: the run, its routing decisions, its progress and its end. */
export type AgUiRunState = {
  runId: string;
  target: RunTarget;
  model: string;
  status: 'running' | 'awaiting_input' | 'completed' | 'failed' | 'cancelled';
  routes: { by: string; mode: string; memberIds: string[]; reason: string; task?: string }[];
  progress: { percent: number; message?: string } | null;
  usage: Usage | null;
  error: PublicError | null;
};

/** Per-stream state: create one per response, call `map` once per event in seq order. */
export type AgUiEventMapper = { map(event: RunEvent): AgUiEvent[] };

type Open = { pathKey: string; subagentRunId?: string };

/**
 * Maps one run's events, in seq order, to AG-UI events. Per-stream state: open text and reasoning
 * messages, open steps, and the live subagent invocation of each team member path.
 *
 * - A top-level agent or a team's orchestrator is the parent agent: its work is one STEP (named after it).
 * - A team member (path of two or more) is an AG-UI subagent: SUBAGENT_STARTED/FINISHED/ERROR, and every
 *   event it produces carries its `subagentRunId` (one per invocation: path and seq of its agent.started).
 * - Routing decisions, progress, usage and the run's status live in the shared state under `agentstream`.
 */
export function createAgUiEventMapper(context: AgUiRunContext): AgUiEventMapper {
  const subagents = new Map<string, string>();
  const texts = new Map<string, Open>();
  const reasonings = new Map<string, Open & { reasoningId: string }>();
  const steps = new Map<string, string>();
  let model = '';
  let started = false;
  let expiresAt: string | null = null;

  const keyOf = (agent: AgentRef) => agent.path.join('/');
  const isMember = (agent: AgentRef) => agent.path.length >= 2;
  const attribution = (agent: AgentRef): { subagentRunId?: string } => {
    const subagentRunId = isMember(agent) ? subagents.get(keyOf(agent)) : undefined;
    return subagentRunId === undefined ? {} : { subagentRunId };
  };
  const owner = (open: Open) => (open.subagentRunId === undefined ? {} : { subagentRunId: open.subagentRunId });

  function closeReasoning(pathKey: string): AgUiEvent[] {
    const open = reasonings.get(pathKey);
    if (!open) return [];
    reasonings.delete(pathKey);
    return [
      { type: EventType.REASONING_MESSAGE_END, messageId: open.reasoningId, ...owner(open) },
      { type: EventType.REASONING_END, messageId: open.reasoningId, ...owner(open) },
    ];
  }

  function closeTexts(pathKey?: string): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    for (const [messageId, open] of texts) {
      if (pathKey !== undefined && open.pathKey !== pathKey) continue;
      texts.delete(messageId);
      out.push({ type: EventType.TEXT_MESSAGE_END, messageId, ...owner(open) });
    }
    return out;
  }

  /** Everything still open when the run ends: a cancelled or failed run leaves no dangling message or step. */
  function closeEverything(why?: PublicError): AgUiEvent[] {
    const out: AgUiEvent[] = [...[...reasonings.keys()].flatMap(closeReasoning), ...closeTexts()];
    // Deepest first, so a nested invocation ends before the one that spawned it.
    const live = [...subagents.entries()].sort(([a], [b]) => b.split('/').length - a.split('/').length);
    for (const [, subagentRunId] of live) {
      out.push(why ? { type: EventType.SUBAGENT_ERROR, subagentRunId, message: why.message, code: why.code } : { type: EventType.SUBAGENT_FINISHED, subagentRunId });
    }
    subagents.clear();
    for (const stepName of steps.values()) out.push({ type: EventType.STEP_FINISHED, stepName });
    steps.clear();
    return out;
  }

  /**
   * The run pauses: this AG-UI run finishes with an interrupt per pending call. Members that made one (or whose
   * descendants did) end their segment `suspended`; the continuation run opens them again.
   */
  function interruptEnd(event: RunEvent, pending: readonly PendingInput[]): AgUiEvent[] {
    const interrupts = pending.map((item) => toInterrupt(event.runId, item, expiresAt, isMember(item.agent) ? subagents.get(keyOf(item.agent)) : undefined));
    const out: AgUiEvent[] = [...[...reasonings.keys()].flatMap(closeReasoning), ...closeTexts()];
    const live = [...subagents.entries()].sort(([a], [b]) => b.split('/').length - a.split('/').length);
    for (const [pathKey, subagentRunId] of live) {
      const own = interrupts.filter((interrupt) => interrupt.subagentRunId === subagentRunId).map((interrupt) => interrupt.id);
      out.push({ type: EventType.SUBAGENT_FINISHED, subagentRunId, outcome: { type: 'suspended', ...(own.length ? { interruptIds: own } : {}) }, metadata: { [AG_UI_STATE_KEY]: { path: pathKey.split('/') } } });
    }
    subagents.clear();
    for (const stepName of steps.values()) out.push({ type: EventType.STEP_FINISHED, stepName });
    steps.clear();
    out.push(
      patch({ op: 'replace', path: statePath('status'), value: 'awaiting_input' }),
      { type: EventType.RUN_FINISHED, threadId: context.threadId, runId: context.runId, outcome: { type: 'interrupt', interrupts } },
    );
    return out;
  }

  /** A continuation meets a member whose segment the pause suspended: a new invocation segment for it. */
  function reopenSubagent(agent: AgentRef, seq: number): AgUiEvent[] {
    const subagentRunId = `${keyOf(agent)}@${seq}`;
    const parent = agent.path.length >= 3 ? subagents.get(agent.path.slice(0, -1).join('/')) : undefined;
    subagents.set(keyOf(agent), subagentRunId);
    return [{ type: EventType.SUBAGENT_STARTED, subagentRunId, name: agent.id, description: agent.name, ...(parent === undefined ? {} : { parentSubagentRunId: parent }), metadata: { [AG_UI_STATE_KEY]: { path: agent.path, role: agent.role } } }];
  }

  const patch = (...operations: JsonPatchOperation[]): AgUiEvent => ({ type: EventType.STATE_DELTA, delta: operations });
  const statePath = (field: keyof AgUiRunState) => `/${AG_UI_STATE_KEY}/${field}`;

  function toEvents(event: RunEvent): AgUiEvent[] {
    const pathKey = keyOf(event.agent);
    switch (event.type) {
      case 'run.started': {
        model = event.model;
        const runState: AgUiRunState = { runId: event.runId, target: event.target, model: event.model, status: 'running', routes: [], progress: null, usage: null, error: null };
        const clientState = isPlainObject(context.state) ? context.state : {};
        return [
          { type: EventType.RUN_STARTED, threadId: context.threadId, runId: context.runId, protocolVersion: PROTOCOL_VERSION, metadata: { [AG_UI_STATE_KEY]: { runId: event.runId, sessionId: event.input.sessionId ?? null } } },
          { type: EventType.STATE_SNAPSHOT, snapshot: { ...clientState, [AG_UI_STATE_KEY]: runState } },
        ];
      }
      case 'agent.started': {
        if (!isMember(event.agent)) {
          const stepName = event.agent.id;
          if ([...steps.values()].includes(stepName)) return [];
          steps.set(pathKey, stepName);
          return [{ type: EventType.STEP_STARTED, stepName }];
        }
        const subagentRunId = `${pathKey}@${event.seq}`;
        const parent = event.agent.path.length >= 3 ? subagents.get(event.agent.path.slice(0, -1).join('/')) : undefined;
        subagents.set(pathKey, subagentRunId);
        return [{
          type: EventType.SUBAGENT_STARTED, subagentRunId, name: event.agent.id, description: event.agent.name,
          ...(parent === undefined ? {} : { parentSubagentRunId: parent }),
          metadata: { [AG_UI_STATE_KEY]: { path: event.agent.path, role: event.agent.role, ...(event.task === undefined ? {} : { task: event.task }) } },
        }];
      }
      case 'reasoning.delta': {
        const open = reasonings.get(pathKey);
        if (open?.reasoningId === event.reasoningId) return [{ type: EventType.REASONING_MESSAGE_CONTENT, messageId: event.reasoningId, delta: event.delta, ...owner(open) }];
        const opened: Open & { reasoningId: string } = { pathKey, reasoningId: event.reasoningId, ...attribution(event.agent) };
        const out = [...closeReasoning(pathKey)];
        reasonings.set(pathKey, opened);
        out.push(
          { type: EventType.REASONING_START, messageId: event.reasoningId, ...owner(opened) },
          { type: EventType.REASONING_MESSAGE_START, messageId: event.reasoningId, role: 'reasoning', ...owner(opened) },
          { type: EventType.REASONING_MESSAGE_CONTENT, messageId: event.reasoningId, delta: event.delta, ...owner(opened) },
        );
        return out;
      }
      case 'message.delta': {
        const out: AgUiEvent[] = [];
        let open = texts.get(event.messageId);
        if (!open) {
          open = { pathKey, ...attribution(event.agent) };
          texts.set(event.messageId, open);
          out.push({ type: EventType.TEXT_MESSAGE_START, messageId: event.messageId, role: 'assistant', name: event.agent.id, ...owner(open) });
        }
        // An empty fragment adds nothing; pre-1.0 clients reject it.
        if (event.delta !== '') out.push({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: event.messageId, delta: event.delta, ...owner(open) });
        return out;
      }
      case 'message.completed': {
        const out: AgUiEvent[] = [];
        const open = texts.get(event.messageId);
        if (open) {
          texts.delete(event.messageId);
          out.push({ type: EventType.TEXT_MESSAGE_END, messageId: event.messageId, ...owner(open) });
        } else if (event.text !== '') {
          // A message that arrived whole (no deltas): start, content and end at once.
          const who = attribution(event.agent);
          out.push(
            { type: EventType.TEXT_MESSAGE_START, messageId: event.messageId, role: 'assistant', name: event.agent.id, ...who },
            { type: EventType.TEXT_MESSAGE_CONTENT, messageId: event.messageId, delta: event.text, ...who },
            { type: EventType.TEXT_MESSAGE_END, messageId: event.messageId, ...who },
          );
        }
        return out;
      }
      case 'tool.started': {
        const who = attribution(event.agent);
        // Our tools run on the server and their arguments are complete when the call starts: one ARGS fragment.
        return [
          { type: EventType.TOOL_CALL_START, toolCallId: event.toolCallId, toolCallName: event.toolName, ...who },
          { type: EventType.TOOL_CALL_ARGS, toolCallId: event.toolCallId, delta: JSON.stringify(event.args), ...who },
          { type: EventType.TOOL_CALL_END, toolCallId: event.toolCallId, ...who },
        ];
      }
      case 'tool.completed':
        return [{ type: EventType.TOOL_CALL_RESULT, messageId: `result_${event.toolCallId}`, toolCallId: event.toolCallId, role: 'tool', content: toolContent(event.result), ...attribution(event.agent) }];
      case 'tool.failed':
        return [{
          type: EventType.TOOL_CALL_RESULT, messageId: `result_${event.toolCallId}`, toolCallId: event.toolCallId, role: 'tool',
          content: JSON.stringify({ error: event.error }), metadata: { [AG_UI_STATE_KEY]: { failed: true } }, ...attribution(event.agent),
        }];
      case 'team.routed':
        return [patch({ op: 'add', path: `${statePath('routes')}/-`, value: { by: event.agent.id, mode: event.mode, memberIds: event.memberIds, reason: event.reason, ...(event.task === undefined ? {} : { task: event.task }) } })];
      case 'progress':
        return [patch({ op: 'replace', path: statePath('progress'), value: event.message === undefined ? { percent: event.percent } : { percent: event.percent, message: event.message } })];
      case 'usage':
        return []; // per-step usage: the run's total goes in RUN_FINISHED.usage and the state
      case 'agent.completed': {
        const out = closeTexts(pathKey);
        if (!isMember(event.agent)) {
          const stepName = steps.get(pathKey);
          if (stepName !== undefined) {
            steps.delete(pathKey);
            out.push({ type: EventType.STEP_FINISHED, stepName });
          }
          return out;
        }
        const subagentRunId = subagents.get(pathKey);
        if (subagentRunId === undefined) return out;
        subagents.delete(pathKey);
        out.push(event.error
          ? { type: EventType.SUBAGENT_ERROR, subagentRunId, message: event.error.message, code: event.error.code }
          : { type: EventType.SUBAGENT_FINISHED, subagentRunId, result: event.output, outcome: { type: 'success' } });
        return out;
      }
      case 'run.completed':
        return [
          ...closeEverything(),
          patch({ op: 'replace', path: statePath('status'), value: 'completed' }, { op: 'replace', path: statePath('usage'), value: event.usage }),
          { type: EventType.RUN_FINISHED, threadId: context.threadId, runId: context.runId, result: event.output, outcome: { type: 'success' }, usage: [tokenUsage(model, event.usage)] },
        ];
      case 'run.cancelled':
        return [
          ...closeEverything({ code: 'cancelled', message: event.reason }),
          patch({ op: 'replace', path: statePath('status'), value: 'cancelled' }),
          { type: EventType.RUN_FINISHED, threadId: context.threadId, runId: context.runId, outcome: { type: 'cancelled' }, ...(event.usage ? { usage: [tokenUsage(model, event.usage)] } : {}) },
        ];
      case 'run.failed':
        return [
          ...closeEverything({ code: 'run_failed', message: event.error.message }),
          patch({ op: 'replace', path: statePath('status'), value: 'failed' }, { op: 'replace', path: statePath('error'), value: event.error }),
          { type: EventType.RUN_ERROR, message: event.error.message, code: event.error.code },
        ];
      case 'step.completed':
        return []; // a checkpoint for resuming the run; AG-UI clients learn the step from the text and tool events
      case 'run.awaiting_input':
        expiresAt = event.expiresAt;
        return interruptEnd(event, event.pending);
      case 'input.received':
        // Answered in part: what is left still waits, so this continuation finishes at once with those interrupts.
        return event.pending.length > 0 ? interruptEnd(event, event.pending) : [];
      case 'run.resumed':
        // AG-UI has no retraction: a CUSTOM event names the cut-off messages, whose text a client may drop.
        return [{ type: EventType.CUSTOM, name: 'agentstream.run_resumed', value: { attempt: event.attempt, reason: event.reason, discardedMessageIds: event.discardedMessageIds } }];
      default:
        return assertNever(event);
    }
  }

  return {
    map(event) {
      const timestamp = Date.parse(event.ts);
      const opening: AgUiEvent[] = [];
      if (!started) {
        started = true;
        if (event.type !== 'run.started' && context.continuation) {
          opening.push({ type: EventType.RUN_STARTED, threadId: context.threadId, runId: context.runId, protocolVersion: PROTOCOL_VERSION, metadata: { [AG_UI_STATE_KEY]: { runId: event.runId, continues: true } } });
        }
      }
      if (isMember(event.agent) && event.type !== 'agent.started' && !subagents.has(keyOf(event.agent)) && event.type !== 'agent.completed') {
        opening.push(...reopenSubagent(event.agent, event.seq));
      }
      // An agent's thinking ends when that agent does anything else (answers, calls a tool, routes, finishes).
      const closed = event.type === 'reasoning.delta' ? [] : closeReasoning(keyOf(event.agent));
      return [...opening, ...closed, ...toEvents(event)].map((mapped) => ({ ...mapped, timestamp }));
    },
  };
}

/** A tool's result as AG-UI tool message content: text as is, anything else as JSON. */
function toolContent(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result);
}

function tokenUsage(model: string, usage: Usage): TokenUsage {
  return {
    model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens,
    ...(usage.reasoningTokens === undefined ? {} : { reasoningTokens: usage.reasoningTokens }),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
