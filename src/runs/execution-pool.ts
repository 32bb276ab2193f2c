import { randomUUID } from 'node:crypto';
import type { Catalog } from '../agents/catalog.ts';
import { NotResumableError, PauseReason, RunJournal } from '../agents/run-journal.ts';
import { runTarget } from '../agents/run-target.ts';
import type { Bus } from '../bus/bus.ts';
import { toPublicError } from '../errors/public-error.ts';
import { systemAgentOf, type AgentRef, type PublicError, type RunEvent, type Usage } from '../events/run-event.ts';
import { StaleAttemptError, type RunRecord, type RunSpec, type Store } from '../store/store.ts';
import { interruptedTurns } from './session-policy.ts';
import { abortReasonOf, CancelReason, HandoffReason, RunEndedReason, ShutdownReason, SupersededReason, TimeoutReason } from './abort-reasons.ts';
import { createRunEmitter, type RunEmitter } from './run-emitter.ts';
import type { RunJob } from './run-job.ts';
import { settleWithin } from './settle-within.ts';

export type ExecutionPoolOptions = {
  store: Store;
  bus: Bus;
  catalog: Catalog;
  defaultTimeoutMs: number;
  /** A run claimed more often than this (its workers keep dying) ends `run.failed` code `worker_lost`. Default 3. */
  maxAttempts?: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  priceUsage?: (model: string, usage: Usage) => Usage;
  /** Recorded as the owner of the runs executing here; random per process by default. */
  instanceId?: string;
  /**
   * Queue workers: a job for a run another owner heart-beated this recently (ms) is left alone (a delivery twice while
   * that worker lives, e.g. after a Redis outage); if that owner then dies, the run is queued again from the store.
   */
  claimGuardMs?: number;
  /** A run paused for input with no answer after this long (ms) fails `input_timeout`; 0: never. A run's `inputTimeoutMs` overrides it. Default 24 h. */
  inputTimeoutMs?: number;
  /** Called once a run executed here has ended (not handed back): its session may have a run waiting for it (`runs/session-policy.ts`). */
  onRunEnded?: (run: RunRecord, tenant: string | undefined) => void;
};

/** How an execution ended: the run ended, went back to be resumed elsewhere, paused for input, had already ended, or a newer attempt took it. */
export type ExecutionOutcome = 'ended' | 'handed-back' | 'paused' | 'gone' | 'superseded';

const DEFAULT_INPUT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

type Execution = { controller: AbortController; journal: RunJournal; done: Promise<ExecutionOutcome>; claimed?: { run: RunRecord; tenant: string | undefined } };

// Read the stored run in pages: a long run's history is never held in memory at once, only what the journal keeps.
const JOURNAL_PAGE = 512;

// A module function with arguments, not a closure per run: thousands of open runs each hold a timer.
function abortOnTimeout(controller: AbortController, timeoutMs: number): void {
  controller.abort(new TimeoutReason(timeoutMs));
}

/**
 * Executes runs: claims a job's run (a new attempt), rebuilds what earlier attempts did from the stored events,
 * runs the agent or team from there and writes every event fenced by the attempt, to the terminal event.
 * Used by both executors (in-process and the queue's workers). Cancels reach it over the bus.
 */
export class ExecutionPool {
  readonly #options: ExecutionPoolOptions;
  readonly #active = new Map<string, Execution>();
  readonly #stopControl: () => void;
  readonly instanceId: string;
  #executed = 0;

  constructor(options: ExecutionPoolOptions) {
    this.#options = options;
    this.instanceId = options.instanceId ?? `ins_${randomUUID()}`;
    this.#stopControl = options.bus.onControl((message) => {
      if (message.type === 'cancel') this.#active.get(message.runId)?.controller.abort(new CancelReason(message.reason, { keepTurns: message.keepTurns }));
    });
  }

  get activeCount(): number {
    return this.#active.size;
  }

  /** Executions that reached an outcome here since start (any outcome). */
  get executedCount(): number {
    return this.#executed;
  }

  /** Aborts the run if it executes here; false when it does not. */
  cancel(runId: string, reason: string, options: { keepTurns?: boolean } = {}): boolean {
    const execution = this.#active.get(runId);
    if (!execution) return false;
    execution.controller.abort(new CancelReason(reason, options));
    return true;
  }

  /** Executes the job's run to an outcome. Never rejects for the run's own failures (those are events); rejects if the store is unreachable at claim time. */
  execute(job: RunJob): Promise<ExecutionOutcome> {
    const running = this.#active.get(job.runId);
    // An answer can arrive while the execution that paused is still winding down: resume once it has.
    if (running && job.afterInput) return running.done.then(() => this.execute({ ...job, afterInput: false }));
    if (running) return running.done;
    const controller = new AbortController();
    const journal = new RunJournal();
    journal.attach(controller);
    const execution: Execution = { controller, journal, done: Promise.resolve('gone') };
    this.#active.set(job.runId, execution);
    execution.done = this.#execute(job, execution).then((outcome) => {
      if (outcome === 'ended' && execution.claimed) this.#options.onRunEnded?.(execution.claimed.run, execution.claimed.tenant);
      return outcome;
    }).finally(() => {
      this.#executed += 1;
      if (this.#active.get(job.runId) === execution) this.#active.delete(job.runId);
    });
    return execution.done;
  }

  /**
   * Shutdown: lets running runs finish for `graceMs`, then asks the rest to stop at their next step boundary
   * and hands them back; after `boundaryWaitMs` more, stops those still inside a step (its partial output is
   * retracted when the run resumes). Resolves when nothing executes here.
   */
  async drain(graceMs: number, boundaryWaitMs: number): Promise<void> {
    const all = () => Promise.all([...this.#active.values()].map((execution) => execution.done.catch(() => 'gone')));
    if (this.#active.size === 0) return;
    if (await settleWithin(all(), graceMs)) return;
    const handoff = new HandoffReason('handed over: the worker is shutting down');
    // Takes effect where a model step or a tool call is about to start (the journal's boundary), not in the middle of one.
    for (const execution of this.#active.values()) execution.journal.requestStop(handoff);
    if (await settleWithin(all(), boundaryWaitMs)) return;
    for (const execution of this.#active.values()) if (!execution.controller.signal.aborted) execution.controller.abort(handoff);
    // A tool that ignores its abort signal must not hold the shutdown forever: its run is handed back regardless.
    await settleWithin(all(), 10_000);
  }

  /** Stops listening for cancels. Call after `drain`. */
  close(): void {
    this.#stopControl();
  }

  async #execute(job: RunJob, execution: Execution): Promise<ExecutionOutcome> {
    const { store, log } = this.#options;
    const { controller, journal } = execution;
    const claimed = await store.claimRun(job.runId, this.instanceId, job.fromQueue && this.#options.claimGuardMs ? { unlessBeatingWithinMs: this.#options.claimGuardMs } : {});
    if (!claimed) return 'gone';
    const { run, spec, handoffs, handedBack } = claimed;
    execution.claimed = { run, tenant: spec.tenant };
    if (handedBack) journal.markHandedBack();
    const systemAgent = systemAgentOf(run.target);
    const emitter = createRunEmitter({
      runId: run.id, store, bus: this.#options.bus, startSeq: run.lastSeq, attempt: run.attempt,
      onStoreError: (error) => {
        if (error instanceof StaleAttemptError) {
          log('warn', 'a newer attempt took the run over; this one stops', { runId: run.id, attempt: run.attempt });
          controller.abort(new SupersededReason(error.message));
          return;
        }
        log('error', 'storing run events failed', { runId: run.id, error: String(error) });
        controller.abort(new ShutdownReason('store failure'));
      },
    });
    const ending: Ending = { run, spec, emitter, systemAgent, controller };
    let timer: NodeJS.Timeout | undefined;
    try {
      const maxAttempts = this.#options.maxAttempts ?? 3;
      // Attempts that handed the run back on shutdown were not lost: a rolling deploy never uses a run's attempts up.
      if (run.attempt - handoffs > maxAttempts) {
        return await this.#fail(ending, { code: 'worker_lost', message: `The run was started ${maxAttempts} times and its worker was lost each time.` });
      }
      if (run.attempt > 1 || run.lastSeq > 1) await loadJournal(store, run.id, journal);
      // After a pause nothing was cut (every branch stopped between steps): the answer's own event says the run goes on.
      if (run.attempt > 1 && !(job.afterInput && handedBack && journal.discardedMessageIds.length === 0)) {
        emitter.emit({ type: 'run.resumed', attempt: run.attempt, reason: job.reason ?? 'The worker executing the run stopped before it finished.', discardedMessageIds: journal.discardedMessageIds, agent: systemAgent });
      }
      const timeoutMs = spec.timeoutMs ?? this.#options.defaultTimeoutMs;
      // The limit counts from the run's first start, not from this attempt's; time spent waiting for a person does not count.
      const elapsed = Date.now() - Date.parse(journal.lastInputAt ?? run.startedAt ?? new Date().toISOString());
      timer = setTimeout(abortOnTimeout, Math.max(timeoutMs - elapsed, 0), controller, timeoutMs);
      timer.unref();
      const history = await historyOf(store, run, spec);
      const result = await runTarget({
        catalog: this.#options.catalog, target: run.target, model: run.model, input: run.input, history,
        emit: (event) => {
          if (journal.shouldEmit(event)) emitter.emit(event);
        },
        signal: controller.signal, runId: run.id, priceUsage: this.#options.priceUsage, mcpServers: spec.mcpServers, journal,
        clientTools: spec.clientTools, clientToolResults: spec.clientToolResults, outputSchema: spec.outputSchema, images: spec.images,
        requireApproval: spec.requireApproval,
      });
      controller.signal.throwIfAborted();
      const ts = new Date().toISOString();
      await emitter.finish(
        { type: 'run.completed', output: result.output, usage: result.usage, agent: systemAgent },
        {
          status: 'completed', output: result.output, usage: result.usage,
          sessionMessages: [{ role: 'user', content: run.input, runId: run.id, ts }, { role: 'assistant', content: result.output, runId: run.id, ts }],
        },
      );
      return controller.signal.reason instanceof SupersededReason ? 'superseded' : 'ended';
    } catch (error) {
      return await this.#endAfterFailure(ending, error).catch((crash: unknown) => {
        log('error', 'run crashed', { runId: run.id, error: String(crash) });
        return 'ended' as const;
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends a run that did not complete, by why its signal fired: cancelled, timed out, handed back, superseded or failed. */
  async #endAfterFailure(ending: Ending, error: unknown): Promise<ExecutionOutcome> {
    const { run, emitter, controller, systemAgent } = ending;
    const reason = abortReasonOf(controller.signal);
    if (reason instanceof SupersededReason) return 'superseded';
    if (reason instanceof PauseReason) {
      const timeoutMs = ending.spec.inputTimeoutMs ?? this.#options.inputTimeoutMs ?? DEFAULT_INPUT_TIMEOUT_MS;
      const expiresAt = timeoutMs > 0 ? new Date(Date.now() + timeoutMs).toISOString() : null;
      await emitter.pause({ type: 'run.awaiting_input', pending: reason.pending, expiresAt, agent: systemAgent }, expiresAt);
      return 'paused';
    }
    if (reason instanceof HandoffReason) {
      // What the attempt did so far is stored (its last step is retracted on resume); the run waits for its next attempt.
      await emitter.flush();
      await this.#options.store.releaseRun(run.id, run.attempt);
      return 'handed-back';
    }
    // A failure ends the whole run: stop members still working in parallel before the terminal event.
    if (!controller.signal.aborted) controller.abort(new RunEndedReason('The run failed.'));
    if (reason instanceof CancelReason) {
      // Interrupted by a newer message: the conversation keeps what was asked and what was answered so far.
      const sessionMessages = reason.keepTurns ? await interruptedTurns(this.#options.store, run, emitter) : undefined;
      await emitter.finish({ type: 'run.cancelled', reason: reason.message, agent: systemAgent }, { status: 'cancelled', ...(sessionMessages ? { sessionMessages } : {}) });
      return 'ended';
    }
    const publicError: PublicError = reason instanceof TimeoutReason ? { code: 'timeout', message: reason.message }
      : reason instanceof NotResumableError ? { code: 'worker_lost', message: reason.message }
      : reason instanceof ShutdownReason ? { code: 'interrupted', message: `The run was interrupted: ${reason.message}.` }
      : toPublicError(error);
    if (!reason) this.#options.log(publicError.code === 'internal' ? 'error' : 'warn', 'run failed', { runId: run.id, error: errorText(error) });
    return this.#fail(ending, publicError);
  }

  async #fail(ending: Ending, error: PublicError): Promise<ExecutionOutcome> {
    await ending.emitter.finish({ type: 'run.failed', error, agent: ending.systemAgent }, { status: 'failed', error });
    return ending.controller.signal.reason instanceof SupersededReason ? 'superseded' : 'ended';
  }
}

type Ending = { run: RunRecord; spec: RunSpec; emitter: RunEmitter; systemAgent: AgentRef; controller: AbortController };

async function loadJournal(store: Store, runId: string, journal: RunJournal): Promise<void> {
  let afterSeq = 0;
  for (;;) {
    const page: RunEvent[] = await store.readEvents(runId, { afterSeq, limit: JOURNAL_PAGE });
    for (const event of page) journal.record(event);
    if (page.length < JOURNAL_PAGE) return;
    afterSeq = page[page.length - 1].seq;
  }
}

/** The conversation the run sees: what the caller sent, or the session's turns (see `RunSpec.sessionHistory`; older runs: as they were at admission). */
async function historyOf(store: Store, run: RunRecord, spec: RunSpec): Promise<{ role: 'user' | 'assistant'; content: string }[]> {
  if (spec.history) return spec.history;
  if (spec.sessionHistory) {
    const session = await store.getSession(run.sessionId, spec.tenant);
    return (session?.messages ?? []).filter((message) => message.runId !== run.id).map(({ role, content }) => ({ role, content }));
  }
  if (!spec.historyCount) return [];
  const session = await store.getSession(run.sessionId, spec.tenant);
  return (session?.messages ?? []).slice(0, spec.historyCount).map(({ role, content }) => ({ role, content }));
}


function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.cause ? ` (cause: ${String(error.cause)})` : ''}`;
  return String(error);
}
