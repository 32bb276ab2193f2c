import type { EmittedEvent, JsonValue, PendingInput, PublicError, RunEvent, StepToolCall, Usage } from '../events/run-event.ts';

/** A model step as an earlier attempt recorded it in `step.completed`. */
export type RecordedStep = { text: string; toolCalls: StepToolCall[]; usage: Usage; finishReason: string };

/** How a tool call ended in an earlier attempt. */
export type RecordedToolOutcome = { ok: true; result: JsonValue } | { ok: false; message: string };

/** How an agent (a team member, or a nested team) ended in an earlier attempt. */
export type RecordedAgentEnd = { output: string; usage: Usage; error?: PublicError };

/** One run of an agent at a path (a member can run twice at one path: two pipeline stages, group-chat turns). */
type Invocation = {
  end?: RecordedAgentEnd;
  /** Its model steps, so a skipped invocation advances the path's step numbering past them. */
  steps: number;
  /** Its counted events by type, so the next invocation's are compared against their own stored ones. */
  counts: Map<string, number>;
  /** Its calls of pure tools: a skipped invocation calls them again to rebuild the run's memory (a team's plan). */
  pureCalls: { toolName: string; args: JsonValue }[];
};

/** Ids of the team answers that `emitTeamAnswer` restates: derived, not random, so a resumed attempt knows them. */
export const ANSWER_MESSAGE_PREFIX = 'msg_answer_';

/** Thrown when the stored run cannot be resumed safely (a started call of a `retry: false` tool or agent). */
export class NotResumableError extends Error {
  override name = 'NotResumableError';
}

/** What a person answered for a pending call: a decision on an approval, or the text answering a question. */
export type InputResolution =
  | { kind: 'decision'; decision: 'approve' | 'reject' | 'edit'; args?: JsonValue; reason?: string }
  | { kind: 'answer'; text: string };

/** The run stops to wait for a person: the calls in `pending` wait for input. Not a failure: the run is paused. */
export class PauseReason extends Error {
  override name = 'AbortError';
  readonly pending: PendingInput[];
  constructor(pending: PendingInput[]) {
    super('The run is waiting for input.');
    this.pending = pending;
  }
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
  readonly #invocations = new Map<string, Invocation[]>();
  readonly #toolPaths = new Map<string, string>();
  readonly #storedCounts = new Map<string, number>();
  readonly #storedMessageIds = new Set<string>();
  readonly #openAgents = new Set<string>();
  // Messages and reasoning of a path since its last checkpoint: the cut-off step's partial text.
  readonly #uncheckpointed = new Map<string, Set<string>>();
  // What this attempt has done so far, per path.
  readonly #stepCounters = new Map<string, number>();
  readonly #emitCounts = new Map<string, number>();
  readonly #invocationCursor = new Map<string, number>();
  // Human in the loop: answers recorded by earlier pauses, calls waiting now, and the work that must end before pausing.
  readonly #resolutions = new Map<string, InputResolution>();
  readonly #pending: PendingInput[] = [];
  #activeWork = 0;
  #lastInputAt: string | undefined;
  #pauseCheckScheduled = false;
  #recordedEvents = 0;
  #controller: AbortController | undefined;
  #handoff: Error | undefined;
  #handedBack = false;

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

  /**
   * Marks a model step or a tool's execution in flight: the run does not pause while one is (its result is part of
   * what the pause stores), so parallel branches (members, sibling calls) go on until they finish or ask too, and the
   * run pauses once with everything pending. Call the returned function once it ends.
   */
  beginWork(): () => void {
    this.#activeWork += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#activeWork -= 1;
      if (this.#pending.length > 0) this.#schedulePauseCheck();
    };
  }

  /**
   * A call that needs a person: recorded as pending, and the run pauses once no other work is in flight (after this
   * turn, so sibling calls of the same step are asked together). Resolves never; rejects with the pause.
   */
  awaitInput(item: PendingInput, signal: AbortSignal): Promise<never> {
    this.#pending.push(item);
    this.#schedulePauseCheck();
    return untilAborted(signal);
  }

  /** What a person answered for the call `toolCallId` of the agent at `path`, in an earlier pause. */
  resolution(path: readonly string[], toolCallId: string): InputResolution | undefined {
    return this.#resolutions.get(toolKey(pathKeyOf(path), toolCallId));
  }

  #schedulePauseCheck(): void {
    if (this.#pauseCheckScheduled) return;
    this.#pauseCheckScheduled = true;
    setImmediate(() => {
      this.#pauseCheckScheduled = false;
      if (this.#pending.length === 0 || this.#activeWork > 0 || !this.#controller || this.#controller.signal.aborted) return;
      this.#controller.abort(new PauseReason([...this.#pending]));
    });
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
      case 'step.completed': {
        this.#steps.set(`${pathKey}#${event.step}`, { text: event.text, toolCalls: event.toolCalls, usage: event.usage, finishReason: event.finishReason });
        this.#uncheckpointed.delete(pathKey);
        const open = this.#openInvocation(pathKey);
        if (open) open.steps += 1;
        return;
      }
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
        this.#toolsStarted.add(toolKey(pathKey, event.toolCallId));
        this.#toolPaths.set(toolKey(pathKey, event.toolCallId), event.toolName);
        this.#openInvocation(pathKey)?.pureCalls.push({ toolName: event.toolName, args: event.args });
        return;
      case 'tool.completed':
        this.#toolOutcomes.set(toolKey(pathKey, event.toolCallId), { ok: true, result: event.result });
        return;
      case 'tool.failed':
        this.#toolOutcomes.set(toolKey(pathKey, event.toolCallId), { ok: false, message: event.error.message });
        return;
      case 'agent.started': {
        const invocations = this.#invocations.get(pathKey) ?? [];
        invocations.push({ steps: 0, counts: new Map(), pureCalls: [] });
        this.#invocations.set(pathKey, invocations);
        this.#openAgents.add(pathKey);
        this.#countStored(pathKey, event.type);
        return;
      }
      case 'agent.completed': {
        const open = this.#openInvocation(pathKey);
        // An agent ended without a start (a member that failed before it began): an invocation of its own.
        const invocation: Invocation = open ?? { steps: 0, counts: new Map(), pureCalls: [] };
        if (!open) this.#invocations.set(pathKey, [...(this.#invocations.get(pathKey) ?? []), invocation]);
        this.#countStored(pathKey, event.type);
        if (!open) invocation.counts.set(event.type, (invocation.counts.get(event.type) ?? 0) + 1);
        invocation.end = { output: event.output, usage: event.usage, ...(event.error ? { error: event.error } : {}) };
        this.#openAgents.delete(pathKey);
        // Its text stands with its end (a failed member is not re-run): nothing of it is retracted.
        this.#uncheckpointed.delete(pathKey);
        return;
      }
      case 'usage':
      case 'team.routed':
      case 'progress':
        this.#countStored(pathKey, event.type);
        return;
      case 'input.received':
        this.#lastInputAt = event.ts;
        for (const decision of event.decisions) {
          this.#resolutions.set(toolKey(pathKeyOf(decision.path), decision.toolCallId), { kind: 'decision', decision: decision.decision, args: decision.args, reason: decision.reason });
        }
        for (const answer of event.answers) this.#resolutions.set(toolKey(pathKeyOf(answer.path), answer.toolCallId), { kind: 'answer', text: answer.text });
        return;
      case 'run.awaiting_input':
      case 'run.started':
      case 'run.resumed':
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        return;
    }
  }

  /** When a person last answered the run (ISO), if ever: the run's time limit counts from there. */
  get lastInputAt(): string | undefined {
    return this.#lastInputAt;
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

  /** How the call `toolCallId` of the agent at `path` ended in an earlier attempt. Ids are per path: two members may share one. */
  toolOutcome(path: readonly string[], toolCallId: string): RecordedToolOutcome | undefined {
    return this.#toolOutcomes.get(toolKey(pathKeyOf(path), toolCallId));
  }

  /** True when an earlier attempt started this call and did not see it end: it may have had its effect. */
  wasToolCut(path: readonly string[], toolCallId: string): boolean {
    const key = toolKey(pathKeyOf(path), toolCallId);
    return this.#toolsStarted.has(key) && !this.#toolOutcomes.has(key);
  }

  /** The previous attempt handed the run back at a step boundary (shutdown): its open agents were paused, not cut. */
  markHandedBack(): void {
    this.#handedBack = true;
  }

  /** True when an earlier attempt started the agent at `path` and was lost (not handed back) before it ended. */
  wasAgentCut(path: readonly string[]): boolean {
    return !this.#handedBack && this.#openAgents.has(pathKeyOf(path));
  }

  /**
   * The next recorded invocation of the agent at `path`, if an earlier attempt finished it: a member that needs no
   * re-run. Taking it moves this attempt past it (its steps and events), so a later invocation at the same path
   * lines up with its own record. `pureCalls` are its calls of pure tools, for the caller to make again.
   */
  takeAgentEnd(path: readonly string[]): (RecordedAgentEnd & { pureCalls: { toolName: string; args: JsonValue }[] }) | undefined {
    const pathKey = pathKeyOf(path);
    const index = this.#invocationCursor.get(pathKey) ?? 0;
    const invocation = this.#invocations.get(pathKey)?.[index];
    if (!invocation?.end) return undefined;
    this.#invocationCursor.set(pathKey, index + 1);
    this.#stepCounters.set(pathKey, (this.#stepCounters.get(pathKey) ?? 0) + invocation.steps);
    for (const [type, count] of invocation.counts) this.#emitCounts.set(`${pathKey}|${type}`, (this.#emitCounts.get(`${pathKey}|${type}`) ?? 0) + count);
    return { ...invocation.end, pureCalls: invocation.pureCalls };
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
        return !this.#toolsStarted.has(toolKey(pathKey, event.toolCallId));
      case 'tool.completed':
      case 'tool.failed':
        return !this.#toolOutcomes.has(toolKey(pathKey, event.toolCallId));
      case 'step.completed':
        return !this.#steps.has(`${pathKey}#${event.step}`);
      case 'agent.started':
        // A new invocation at this path begins: the cursor moves with it, as `takeAgentEnd` moves past skipped ones.
        this.#invocationCursor.set(pathKey, (this.#invocationCursor.get(pathKey) ?? 0) + 1);
        return this.#count(this.#emitCounts, `${pathKey}|agent.started`) > (this.#storedCounts.get(`${pathKey}|agent.started`) ?? 0);
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

  #openInvocation(pathKey: string): Invocation | undefined {
    const last = this.#invocations.get(pathKey)?.at(-1);
    return last && !last.end ? last : undefined;
  }

  #countStored(pathKey: string, type: string): void {
    this.#count(this.#storedCounts, `${pathKey}|${type}`);
    const open = this.#openInvocation(pathKey);
    if (open) open.counts.set(type, (open.counts.get(type) ?? 0) + 1);
  }

  #count(counts: Map<string, number>, key: string): number {
    const next = (counts.get(key) ?? 0) + 1;
    counts.set(key, next);
    return next;
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function toolKey(pathKey: string, toolCallId: string): string {
  return `${pathKey}|${toolCallId}`;
}
