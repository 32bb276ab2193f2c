import { randomUUID } from 'node:crypto';
import type { Catalog } from '../agents/catalog.ts';
import { assertTarget, pickModel } from '../agents/catalog.ts';
import { runTarget } from '../agents/run-target.ts';
import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import { toPublicError } from '../errors/public-error.ts';
import type { AgentRef, JsonValue, RunEvent, RunTarget, Usage } from '../events/run-event.ts';
import type { RunFilter, RunPage, RunRecord, Store } from '../store/store.ts';
import { createRunEmitter, type RunEmitter } from './run-emitter.ts';
import { followRun, type FollowEnd } from './follow-run.ts';
import { abortReasonOf, CancelReason, RunEndedReason, ShutdownReason, TimeoutReason } from './abort-reasons.ts';

export type StartRunRequest = {
  target: RunTarget;
  input: string;
  sessionId?: string;
  model?: string;
  timeoutMs?: number;
  metadata?: JsonValue;
};

export type RunManagerOptions = {
  store: Store;
  bus: Bus;
  catalog: Catalog;
  maxConcurrentRuns: number;
  defaultTimeoutMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  priceUsage?: (model: string, usage: Usage) => Usage;
};

type ActiveRun = { controller: AbortController; done: Promise<void>; emitter: RunEmitter };

/**
 * The run manager owns every run's life: it starts runs detached from any connection, lets anyone follow
 * a run from any seq, cancels (locally or through the bus), enforces time limits and the concurrency cap.
 */
export class RunManager {
  #options: RunManagerOptions;
  #active = new Map<string, ActiveRun>();
  #stopControl: () => void;
  #closing = false;

  constructor(options: RunManagerOptions) {
    this.#options = options;
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
    if (this.#active.size >= this.#options.maxConcurrentRuns) {
      throw new AppError('too_many_runs', { message: `${this.#active.size} runs are in progress, the limit is ${this.#options.maxConcurrentRuns}.`, headers: { 'retry-after': '1' } });
    }
    const runId = `run_${randomUUID()}`;
    const sessionId = request.sessionId ?? `ses_${randomUUID()}`;
    const session = request.sessionId ? await store.getSession(sessionId) : undefined;
    const history = (session?.messages ?? []).map(({ role, content }) => ({ role, content }));
    const record = await store.createRun({ id: runId, target: request.target, sessionId, model, input: request.input, metadata: request.metadata ?? null });

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

    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    this.#active.set(runId, { controller, done, emitter });
    const timeoutMs = request.timeoutMs ?? this.#options.defaultTimeoutMs;
    const timer = setTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs);
    timer.unref();

    this.#execute({ runId, request, model, sessionId, history, controller, emitter, systemAgent })
      .catch((error) => this.#options.log('error', 'run crashed', { runId, error: String(error) }))
      .finally(() => {
        clearTimeout(timer);
        this.#active.delete(runId);
        markDone();
      });
    return { ...record, sessionId, status: 'running' };
  }

  async #execute(context: {
    runId: string; request: StartRunRequest; model: string; sessionId: string; history: { role: 'user' | 'assistant'; content: string }[];
    controller: AbortController; emitter: RunEmitter; systemAgent: AgentRef;
  }): Promise<void> {
    const { runId, request, emitter, controller, systemAgent } = context;
    const { store, catalog } = this.#options;
    await store.markRunStarted(runId);
    let usage: Usage | undefined;
    try {
      const result = await runTarget({
        catalog, target: request.target, model: context.model, input: request.input, history: context.history,
        emit: (event) => emitter.emit(event), signal: controller.signal, runId, priceUsage: this.#options.priceUsage,
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
      const reason = abortReasonOf(controller.signal);
      // A failure ends the whole run: stop members still working in parallel before the terminal event.
      if (!controller.signal.aborted) controller.abort(new RunEndedReason('The run failed.'));
      if (reason instanceof CancelReason) {
        await emitter.finish({ type: 'run.cancelled', reason: reason.message, agent: systemAgent, ...(usage ? { usage } : {}) }, { status: 'cancelled', usage });
      } else {
        const publicError = reason instanceof TimeoutReason ? { code: 'timeout', message: reason.message }
          : reason instanceof ShutdownReason ? { code: 'interrupted', message: `The run was interrupted: ${reason.message}.` }
          : toPublicError(error);
        if (!reason) this.#options.log(publicError.code === 'internal' ? 'error' : 'warn', 'run failed', { runId, error: errorText(error) });
        await emitter.finish({ type: 'run.failed', error: publicError, agent: systemAgent }, { status: 'failed', error: publicError, usage });
      }
    }
  }

  /**
   * Checks that a reader may follow `run` from `afterSeq`: 'nothing-left' when it already has the whole
   * ended run (SSE says answer 204 so EventSource stops), an error when it claims events that never existed.
   */
  checkFollow(run: RunRecord, afterSeq: number): 'follow' | 'nothing-left' {
    const ended = !this.#active.has(run.id) && run.status !== 'running' && run.status !== 'queued';
    if (!ended || afterSeq < run.lastSeq) return 'follow';
    if (afterSeq === run.lastSeq) return 'nothing-left';
    throw new AppError('invalid_last_event_id', { message: `Run ${run.id} ended at seq ${run.lastSeq}; there is no event ${afterSeq}.`, details: { lastSeq: run.lastSeq } });
  }

  /** Delivers the run's events after `afterSeq` to `onEvent`, replay then live, until the terminal event or `signal`. */
  follow(runId: string, afterSeq: number, onEvent: (event: RunEvent) => void, signal: AbortSignal): Promise<FollowEnd> {
    return followRun({ runId, afterSeq, store: this.#options.store, bus: this.#options.bus, onEvent, signal });
  }

  /** Resolves when the run has ended (its terminal event is stored), with its final record. */
  async waitForEnd(runId: string): Promise<RunRecord> {
    await this.#active.get(runId)?.done;
    return this.get(runId);
  }

  /** Cancels a running run wherever it runs; resolves with the record once it has ended (or after 5 s). */
  async cancel(runId: string, reason = 'Cancelled by the client'): Promise<RunRecord> {
    const run = await this.get(runId);
    const active = this.#active.get(runId);
    if (active) {
      active.controller.abort(new CancelReason(reason));
      await active.done;
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

  /** Ends every run a previous process left `running`: `run.failed` with code `interrupted`. */
  async recoverInterruptedRuns(): Promise<number> {
    const { store, bus } = this.#options;
    const unfinished = await store.listUnfinishedRuns();
    for (const run of unfinished) {
      const emitter = createRunEmitter({ runId: run.id, store, bus, startSeq: run.lastSeq, onStoreError: (error) => this.#options.log('error', 'recovery failed', { runId: run.id, error: String(error) }) });
      const error = { code: 'interrupted', message: 'The server stopped while the run was in progress.' };
      await emitter.finish({ type: 'run.failed', error, agent: { id: run.target.id, name: run.target.id, role: run.target.kind === 'team' ? 'orchestrator' : 'agent', path: [] } }, { status: 'failed', error });
    }
    if (unfinished.length > 0) this.#options.log('warn', 'marked interrupted runs as failed', { count: unfinished.length });
    return unfinished.length;
  }

  /** Stops accepting runs and ends the active ones as interrupted. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stopControl();
    const active = [...this.#active.values()];
    for (const run of active) run.controller.abort(new ShutdownReason('server shutting down'));
    await Promise.all(active.map((run) => run.done));
  }

  async #waitForRemoteEnd(runId: string, timeoutMs: number): Promise<RunRecord> {
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(deadline - Date.now(), 0));
    try {
      const run = await this.get(runId);
      await followRun({ runId, afterSeq: run.lastSeq, store: this.#options.store, bus: this.#options.bus, onEvent: () => {}, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
    return this.get(runId);
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.cause ? ` (cause: ${String(error.cause)})` : ''}`;
  return String(error);
}
