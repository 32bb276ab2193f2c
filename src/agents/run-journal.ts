import type { EmittedEvent, JsonValue, PublicError, RunEvent, StepToolCall, Usage } from '../events/run-event.ts';

/** A model step as an earlier attempt recorded it in `step.completed`. */
export type RecordedStep = { text: string; toolCalls: StepToolCall[]; usage: Usage; finishReason: string };

/** How a tool call ended in an earlier attempt. */
export type RecordedToolOutcome = { ok: true; result: JsonValue } | { ok: false; message: string };

/** How an agent (a team member, or a nested team) ended in an earlier attempt. */
export type RecordedAgentEnd = { output: string; usage: Usage; error?: PublicError };

/** Ids of the team answers that `emitTeamAnswer` restates: derived, not random, so a resumed attempt knows them. */
export const ANSWER_MESSAGE_PREFIX = 'msg_answer_';

/** Thrown when the stored run cannot be resumed safely (a started call of a `retry: false` tool or agent). */
export class NotResumableError extends Error {
  override name = 'NotResumableError';
}

const COUNTED_TYPES = new Set<string>(['agent.started', 'usage', 'team.routed', 'progress']);

function pathKeyOf(path: readonly string[]): string {
  return path.join('/');
}

/**
 * What an attempt knows of the attempts before it, rebuilt from the run's stored events, and what it has
 * re-done so far. A resumed attempt runs the same code from the start: model steps that have a checkpoint
 * (`step.completed`) are answered from it without calling the model, finished tool calls from their
 * stored result without running the tool, finished members from their stored end; every event the store
 * already has is not emitted again. The step that was in flight when the last attempt stopped runs anew.
 *
 * Re-execution is deterministic because everything a step depends on (the prompt: instructions, history,
 * earlier steps' text and tool results) is rebuilt from the same recorded values. Keys are per agent path,
 * so parallel members' interleaving does not matter: a path's steps and events come in a fixed order.
 */
export class RunJournal {
  readonly #steps = new Map<string, RecordedStep>();
  readonly #toolOutcomes = new Map<string, RecordedToolOutcome>();
  readonly #toolsStarted = new Set<string>();
  readonly #agentEnds = new Map<string, RecordedAgentEnd[]>();
  readonly #storedCounts = new Map<string, number>();
  readonly #storedMessageIds = new Set<string>();
  readonly #openAgents = new Set<string>();
  // Messages and reasoning of a path since its last checkpoint: the cut-off step's partial text.
  readonly #uncheckpointed = new Map<string, Set<string>>();
  // What this attempt has done so far, per path.
  readonly #stepCounters = new Map<string, number>();
  readonly #emitCounts = new Map<string, number>();
  readonly #agentEndCursor = new Map<string, number>();
  #recordedEvents = 0;
  #controller: AbortController | undefined;
  #handoff: Error | undefined;

  /** The execution's controller: how a step boundary hands the run back, and how a check ends the run. */
  attach(controller: AbortController): void {
    this.#controller = controller;
  }

  /** Asks the run to stop at its next step boundary (a model step or a tool call about to start) with `reason`. */
  requestStop(reason: Error): void {
    this.#handoff = reason;
  }

  /** Called where a step or tool call is about to start: a requested stop takes effect here, between steps. */
  atBoundary(): void {
    if (this.#handoff && this.#controller && !this.#controller.signal.aborted) this.#controller.abort(this.#handoff);
  }

  /** Ends the whole run with `reason` (a team member's failure must not swallow it). */
  abortRun(reason: Error): void {
    if (this.#controller && !this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /** Folds one stored event of an earlier attempt in; call in seq order. */
  record(event: RunEvent): void {
    this.#recordedEvents += 1;
    const pathKey = pathKeyOf(event.agent.path);
    switch (event.type) {
      case 'step.completed':
        this.#steps.set(`${pathKey}#${event.step}`, { text: event.text, toolCalls: event.toolCalls, usage: event.usage, finishReason: event.finishReason });
        this.#uncheckpointed.delete(pathKey);
        return;
      case 'message.delta':
      case 'message.completed':
        this.#storedMessageIds.add(event.messageId);
        if (!event.messageId.startsWith(ANSWER_MESSAGE_PREFIX)) this.#openText(pathKey, event.messageId);
        return;
      case 'reasoning.delta':
        this.#storedMessageIds.add(event.reasoningId);
        this.#openText(pathKey, event.reasoningId);
        return;
      case 'tool.started':
        this.#toolsStarted.add(event.toolCallId);
        return;
      case 'tool.completed':
        this.#toolOutcomes.set(event.toolCallId, { ok: true, result: event.result });
        return;
      case 'tool.failed':
        this.#toolOutcomes.set(event.toolCallId, { ok: false, message: event.error.message });
        return;
      case 'agent.completed': {
        const ends = this.#agentEnds.get(pathKey) ?? [];
        ends.push({ output: event.output, usage: event.usage, ...(event.error ? { error: event.error } : {}) });
        this.#agentEnds.set(pathKey, ends);
        this.#openAgents.delete(pathKey);
        this.#count(this.#storedCounts, `${pathKey}|agent.completed`);
        return;
      }
      case 'agent.started':
        this.#openAgents.add(pathKey);
        this.#count(this.#storedCounts, `${pathKey}|${event.type}`);
        return;
      case 'usage':
      case 'team.routed':
      case 'progress':
        this.#count(this.#storedCounts, `${pathKey}|${event.type}`);
        return;
      case 'run.started':
      case 'run.resumed':
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        return;
    }
  }

  /** True when an earlier attempt got past `run.started`: this attempt resumes rather than starts. */
  get isResuming(): boolean {
    return this.#recordedEvents > 1;
  }

  /** The partial messages (and reasoning) of the steps that were cut off: what `run.resumed` tells clients to drop. */
  get discardedMessageIds(): string[] {
    return [...this.#uncheckpointed.values()].flatMap((ids) => [...ids]);
  }

  /** Numbers this attempt's next model step of `path` (1, 2, …) and returns its checkpoint, if an earlier attempt finished it. */
  nextStep(path: readonly string[]): { step: number; recorded?: RecordedStep } {
    const pathKey = pathKeyOf(path);
    const step = (this.#stepCounters.get(pathKey) ?? 0) + 1;
    this.#stepCounters.set(pathKey, step);
    return { step, recorded: this.#steps.get(`${pathKey}#${step}`) };
  }

  toolOutcome(toolCallId: string): RecordedToolOutcome | undefined {
    return this.#toolOutcomes.get(toolCallId);
  }

  /** True when an earlier attempt started this call and did not see it end: it may have had its effect. */
  wasToolCut(toolCallId: string): boolean {
    return this.#toolsStarted.has(toolCallId) && !this.#toolOutcomes.has(toolCallId);
  }

  /** True when an earlier attempt started the agent at `path` and did not see it end. */
  wasAgentCut(path: readonly string[]): boolean {
    return this.#openAgents.has(pathKeyOf(path));
  }

  /** The next recorded end of the agent at `path` that this attempt has not taken yet: a member that needs no re-run. */
  takeAgentEnd(path: readonly string[]): RecordedAgentEnd | undefined {
    const pathKey = pathKeyOf(path);
    const index = this.#agentEndCursor.get(pathKey) ?? 0;
    const end = this.#agentEnds.get(pathKey)?.[index];
    if (end) this.#agentEndCursor.set(pathKey, index + 1);
    return end;
  }

  /** False for an event the store already has from an earlier attempt (so it is not sent twice). */
  shouldEmit(event: EmittedEvent): boolean {
    if (this.#recordedEvents === 0) return true;
    const pathKey = pathKeyOf(event.agent.path);
    switch (event.type) {
      case 'message.delta':
      case 'message.completed':
        return !this.#storedMessageIds.has(event.messageId);
      case 'reasoning.delta':
        return !this.#storedMessageIds.has(event.reasoningId);
      case 'tool.started':
        return !this.#toolsStarted.has(event.toolCallId);
      case 'tool.completed':
      case 'tool.failed':
        return !this.#toolOutcomes.has(event.toolCallId);
      case 'step.completed':
        return !this.#steps.has(`${pathKey}#${event.step}`);
      case 'agent.completed':
        return this.#count(this.#emitCounts, `${pathKey}|agent.completed`) > (this.#storedCounts.get(`${pathKey}|agent.completed`) ?? 0);
      default:
        if (!COUNTED_TYPES.has(event.type)) return true;
        return this.#count(this.#emitCounts, `${pathKey}|${event.type}`) > (this.#storedCounts.get(`${pathKey}|${event.type}`) ?? 0);
    }
  }

  #openText(pathKey: string, id: string): void {
    let ids = this.#uncheckpointed.get(pathKey);
    if (!ids) {
      ids = new Set();
      this.#uncheckpointed.set(pathKey, ids);
    }
    ids.add(id);
  }

  #count(counts: Map<string, number>, key: string): number {
    const next = (counts.get(key) ?? 0) + 1;
    counts.set(key, next);
    return next;
  }
}
