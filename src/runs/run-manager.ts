import { randomUUID } from 'node:crypto';
import type { Catalog } from '../agents/catalog.ts';
import { assertTarget, pickModel } from '../agents/catalog.ts';
import type { ChatMessage } from '../agents/agent/agent-definition.ts';
import { runTarget } from '../agents/run-target.ts';
import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import { validateMcpSelection } from '../tools/mcp/mcp-hub.ts';
import { toPublicError } from '../errors/public-error.ts';
import type { AgentRef, JsonValue, PublicError, RunEvent, RunTarget, Usage } from '../events/run-event.ts';
import type { RunFilter, RunPage, RunRecord, Store } from '../store/store.ts';
import { createRunEmitter, type RunEmitter } from './run-emitter.ts';
import { followRun, type FollowEnd, type FollowOptions, type StopSignal } from './follow-run.ts';
import { abortReasonOf, CancelReason, RunEndedReason, ShutdownReason, TimeoutReason } from './abort-reasons.ts';
import { startRunLiveness, sweepStaleRuns } from './run-liveness.ts';

export type StartRunRequest = {
  target: RunTarget;
  input: string;
  sessionId?: string;
  model?: string;
  timeoutMs?: number;
  metadata?: JsonValue;
  /** MCP servers (configured names) whose tools this run's agents get on top of their own; unknown names are a 422. */
  mcpServers?: readonly string[];
  /** Earlier turns the caller holds (protocols whose clients keep the conversation); replaces the session's stored history. */
  history?: readonly ChatMessage[];
};

export type RunManagerOptions = {
  store: Store;
  bus: Bus;
  catalog: Catalog;
  maxConcurrentRuns: number;
  defaultTimeoutMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  priceUsage?: (model: string, usage: Usage) => Usage;
  /** Recorded as the owner of the runs this instance executes; random per process by default. */
  instanceId?: string;
  /**
   * On a shared store: how often (ms) this instance heart-beats its runs and sweeps for runs of dead instances, and
   * how old a heartbeat must be (ms) for its owner to count as dead. Defaults: 5 000 and 20 000.
   */
  liveness?: { heartbeatMs: number; staleAfterMs: number };
  /** A follower that heard nothing for this long (ms) re-reads the store, so a lost bus message cannot hang it. Default 5 000; 0 turns it off. */
  followResyncMs?: number;
};

/** A run executing here. `done` is made only when someone waits for the end (most runs never have a waiter). */
type ActiveRun = { controller: AbortController; emitter: RunEmitter; ended?: boolean; done?: Promise<void>; markDone?: () => void };

/** Resolves once `run` has ended (removed from the active map). */
function whenEnded(run: ActiveRun): Promise<void> {
  if (run.ended) return Promise.resolve();
  run.done ??= new Promise<void>((resolve) => (run.markDone = resolve));
  return run.done;
}

type ExecuteContext = {
  runId: string; request: StartRunRequest; model: string; sessionId: string; history: { role: 'user' | 'assistant'; content: string }[];
  controller: AbortController; emitter: RunEmitter; systemAgent: AgentRef; timer: NodeJS.Timeout; active: ActiveRun;
};

// A module function with arguments, not a closure per run: thousands of open runs each hold a timer.
function abortOnTimeout(controller: AbortController, timeoutMs: number): void {
  controller.abort(new TimeoutReason(timeoutMs));
}

/**
 * The run manager owns every run's life: it starts runs detached from any connection, lets anyone follow
 * a run from any seq, cancels (locally or through the bus), enforces time limits and the concurrency cap.
 */
export class RunManager {
  #options: RunManagerOptions;
  #active = new Map<string, ActiveRun>();
  #stopControl: () => void;
  #stopLiveness: () => void = () => {};
  #closing = false;
  readonly instanceId: string;

  constructor(options: RunManagerOptions) {
    this.#options = options;
    this.instanceId = options.instanceId ?? `ins_${randomUUID()}`;
    // Only a shared store can hold runs of other, possibly dead, instances while this one runs.
    if (options.store.shared) {
      this.#stopLiveness = startRunLiveness({
        store: options.store, bus: options.bus, instanceId: this.instanceId, ...this.#liveness, hasActiveRuns: () => this.#active.size > 0, log: options.log,
      });
    }
    this.#stopControl = options.bus.onControl((message) => {
      if (message.type === 'cancel') this.#active.get(message.runId)?.controller.abort(new CancelReason(message.reason));
    });
  }

  get activeCount(): number {
    return this.#active.size;
  }

  /** Validates the request, records the run and starts it. Resolves once `run.started` is queued. */
  async start(request: StartRunRequest): Promise<RunRecord> {
    if (this.#closing) throw new AppError('shutting_down');
    const { catalog, store } = this.#options;
    assertTarget(catalog, request.target);
    const model = pickModel(catalog, request.target, request.model);
    if (request.mcpServers) validateMcpSelection(catalog.mcp, request.mcpServers);
    assertNoNulCharacters(request);
    if (this.#active.size >= this.#options.maxConcurrentRuns) {
      throw new AppError('too_many_runs', { message: `${this.#active.size} runs are in progress, the limit is ${this.#options.maxConcurrentRuns}.`, headers: { 'retry-after': '1' } });
    }
    const runId = `run_${randomUUID()}`;
    const sessionId = request.sessionId ?? `ses_${randomUUID()}`;
    const session = request.sessionId && !request.history ? await store.getSession(sessionId) : undefined;
    const history = (request.history ?? session?.messages ?? []).map(({ role, content }) => ({ role, content }));
    const record = await store.createRun({ id: runId, target: request.target, sessionId, model, input: request.input, metadata: request.metadata ?? null, ownerId: this.instanceId });

    const controller = new AbortController();
    const emitter = createRunEmitter({
      runId,
      store,
      bus: this.#options.bus,
      onStoreError: (error) => {
        this.#options.log('error', 'storing run events failed', { runId, error: String(error) });
        controller.abort(new ShutdownReason('store failure'));
      },
    });
    const systemAgent: AgentRef = { id: request.target.id, name: request.target.id, role: request.target.kind === 'team' ? 'orchestrator' : 'agent', path: [] };
    emitter.emit({ type: 'run.started', target: request.target, input: { text: request.input, sessionId, model }, model, agent: systemAgent });

    const active: ActiveRun = { controller, emitter };
    this.#active.set(runId, active);
    const timeoutMs = request.timeoutMs ?? this.#options.defaultTimeoutMs;
    const timer = setTimeout(abortOnTimeout, timeoutMs, controller, timeoutMs);
    timer.unref();

    void this.#execute({ runId, request, model, sessionId, history, controller, emitter, systemAgent, timer, active });
    return { ...record, sessionId, status: 'running' };
  }

  /** Runs the target to its terminal event. Never rejects: it ends the run's bookkeeping itself, with no chain of its own per open run. */
  async #execute(context: ExecuteContext): Promise<void> {
    const { runId, request, emitter, controller, systemAgent } = context;
    const { store, catalog } = this.#options;
    let usage: Usage | undefined;
    try {
      await store.markRunStarted(runId);
      const result = await runTarget({
        catalog, target: request.target, model: context.model, input: request.input, history: context.history,
        emit: (event) => emitter.emit(event), signal: controller.signal, runId, priceUsage: this.#options.priceUsage, mcpServers: request.mcpServers,
      });
      usage = result.usage;
      controller.signal.throwIfAborted();
      const ts = new Date().toISOString();
      await emitter.finish(
        { type: 'run.completed', output: result.output, usage: result.usage, agent: systemAgent },
        { status: 'completed', output: result.output, usage: result.usage },
        () => store.appendSessionMessages(context.sessionId, [
          { role: 'user', content: request.input, runId, ts },
          { role: 'assistant', content: result.output, runId, ts },
        ]),
      );
    } catch (error) {
      await this.#endAfterFailure(context, error, usage).catch((crash: unknown) => this.#options.log('error', 'run crashed', { runId, error: String(crash) }));
    } finally {
      clearTimeout(context.timer);
      this.#active.delete(runId);
      context.active.ended = true;
      context.active.markDone?.();
    }
  }

  /** Ends a run that did not complete: cancelled, timed out, interrupted or failed, by why its signal fired. */
  async #endAfterFailure(context: ExecuteContext, error: unknown, usage: Usage | undefined): Promise<void> {
    const { runId, emitter, controller, systemAgent } = context;
    const reason = abortReasonOf(controller.signal);
    // A failure ends the whole run: stop members still working in parallel before the terminal event.
    if (!controller.signal.aborted) controller.abort(new RunEndedReason('The run failed.'));
    if (reason instanceof CancelReason) {
      await emitter.finish({ type: 'run.cancelled', reason: reason.message, agent: systemAgent, ...(usage ? { usage } : {}) }, { status: 'cancelled', usage });
      return;
    }
    const publicError: PublicError = reason instanceof TimeoutReason ? { code: 'timeout', message: reason.message }
      : reason instanceof ShutdownReason ? { code: 'interrupted', message: `The run was interrupted: ${reason.message}.` }
      : toPublicError(error);
    if (!reason) this.#options.log(publicError.code === 'internal' ? 'error' : 'warn', 'run failed', { runId, error: errorText(error) });
    await emitter.finish({ type: 'run.failed', error: publicError, agent: systemAgent }, { status: 'failed', error: publicError, usage });
  }

  /**
   * Checks that a reader may follow `run` from `afterSeq`: 'nothing-left' when it already has the whole
   * ended run (SSE says answer 204 so EventSource stops), an error when it claims events that never existed.
   * Events are published only once stored, so no reader can hold a seq above the stored `lastSeq`, running or not.
   */
  checkFollow(run: RunRecord, afterSeq: number): 'follow' | 'nothing-left' {
    if (afterSeq > run.lastSeq) {
      throw new AppError('invalid_last_event_id', { message: `Run ${run.id} is at seq ${run.lastSeq}; there is no event ${afterSeq}.`, details: { lastSeq: run.lastSeq } });
    }
    const ended = !this.#active.has(run.id) && run.status !== 'running' && run.status !== 'queued';
    return ended && afterSeq === run.lastSeq ? 'nothing-left' : 'follow';
  }

  /**
   * Delivers the run's events after `afterSeq` to `onEvent`, replay then live, until the terminal event or `signal`.
   * `readerBusy` paces the replay to the reader (see `FollowOptions`).
   */
  follow(runId: string, afterSeq: number, onEvent: (event: RunEvent) => void, signal: StopSignal, options: Pick<FollowOptions, 'readerBusy'> = {}): Promise<FollowEnd> {
    return followRun({ runId, afterSeq, store: this.#options.store, bus: this.#options.bus, onEvent, signal, resyncMs: this.#followResyncMs, readerBusy: options.readerBusy });
  }

  /** Resolves when the run has ended (its terminal event is stored), with its final record. */
  async waitForEnd(runId: string): Promise<RunRecord> {
    const active = this.#active.get(runId);
    if (active) await whenEnded(active);
    return this.get(runId);
  }

  /** Cancels a running run wherever it runs; resolves with the record once it has ended (or after 5 s). */
  async cancel(runId: string, reason = 'Cancelled by the client'): Promise<RunRecord> {
    const run = await this.get(runId);
    const active = this.#active.get(runId);
    if (active) {
      active.controller.abort(new CancelReason(reason));
      await whenEnded(active);
      return this.get(runId);
    }
    if (run.status !== 'running' && run.status !== 'queued') {
      throw new AppError('run_not_active', { message: `Run ${runId} has already ended (${run.status}).`, details: { status: run.status } });
    }
    this.#options.bus.publishControl({ type: 'cancel', runId, reason });
    return this.#waitForRemoteEnd(runId, 5000);
  }

  /** Cancels a run if it is running here; no error when it has ended. For `onDisconnect: cancel`. */
  cancelIfActive(runId: string, reason: string): void {
    this.#active.get(runId)?.controller.abort(new CancelReason(reason));
  }

  async get(runId: string): Promise<RunRecord> {
    const run = await this.#options.store.getRun(runId);
    if (!run) throw new AppError('run_not_found', { message: `Run '${runId}' not found.`, details: { runId } });
    return run;
  }

  list(filter: RunFilter): Promise<RunPage> {
    return this.#options.store.listRuns(filter);
  }

  /**
   * Ends as `run.failed` (code `interrupted`) the runs whose instance died: on a store only this process opens,
   * every run left unfinished; on a shared store, only runs whose owner stopped heart-beating (the others are
   * executing on live instances). Later deaths are found by the periodic sweep (`run-liveness.ts`).
   */
  recoverInterruptedRuns(): Promise<number> {
    const { store, bus, log } = this.#options;
    return sweepStaleRuns({ store, bus, instanceId: this.instanceId, staleAfterMs: store.shared ? this.#liveness.staleAfterMs : 0, log });
  }

  get #liveness(): { heartbeatMs: number; staleAfterMs: number } {
    return this.#options.liveness ?? { heartbeatMs: 5000, staleAfterMs: 20_000 };
  }

  get #followResyncMs(): number {
    return this.#options.followResyncMs ?? 5000;
  }

  /** Stops accepting runs and ends the active ones as interrupted. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stopControl();
    this.#stopLiveness();
    const active = [...this.#active.values()];
    for (const run of active) run.controller.abort(new ShutdownReason('server shutting down'));
    await Promise.all(active.map(whenEnded));
  }

  async #waitForRemoteEnd(runId: string, timeoutMs: number): Promise<RunRecord> {
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(deadline - Date.now(), 0));
    try {
      const run = await this.get(runId);
      await followRun({ runId, afterSeq: run.lastSeq, store: this.#options.store, bus: this.#options.bus, onEvent: () => {}, signal: controller.signal, resyncMs: this.#followResyncMs });
    } finally {
      clearTimeout(timer);
    }
    return this.get(runId);
  }
}

/**
 * U+0000 has no place in a prompt, an id or metadata, and PostgreSQL cannot store it in text at all: refused
 * here, for every wire format and every store alike, rather than accepted on one store and a 500 on the other.
 */
function assertNoNulCharacters(request: StartRunRequest): void {
  const fields: { field: string; message: string }[] = [];
  const check = (field: string, text: string | undefined) => {
    if (text?.includes('\u0000')) fields.push({ field, message: 'must not contain NUL (U+0000) characters' });
  };
  check('input', request.input);
  check('sessionId', request.sessionId);
  check('model', request.model);
  request.history?.forEach((message, index) => check(`history.${index}.content`, message.content));
  if (containsNul(request.metadata)) fields.push({ field: 'metadata', message: 'must not contain NUL (U+0000) characters' });
  if (fields.length === 0) return;
  throw new AppError('validation_failed', { message: fields.map((field) => `${field.field}: ${field.message}`).join('; '), details: { fields } });
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, entry]) => key.includes('\u0000') || containsNul(entry));
  return false;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.cause ? ` (cause: ${String(error.cause)})` : ''}`;
  return String(error);
}
