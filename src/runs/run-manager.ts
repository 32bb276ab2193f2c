import { randomUUID } from 'node:crypto';
import type { Catalog } from '../agents/catalog.ts';
import { assertTarget, pickModel } from '../agents/catalog.ts';
import type { ChatMessage } from '../agents/agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from '../agents/agent/client-tool.ts';
import { assertOutputSchemaFor, type OutputSchema } from '../agents/agent/structured-output.ts';
import { assertAcceptsImages, type ImageInput } from '../agents/agent/image-input.ts';
import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import { validateMcpSelection } from '../tools/mcp/mcp-hub.ts';
import { systemAgentOf, type JsonValue, type PendingInput, type RunEvent, type RunTarget, type Usage } from '../events/run-event.ts';
import { isUnfinishedStatus } from '../events/run-record.ts';
import { SessionBusyError, type NewRun, type RunEnd, type RunFilter, type RunPage, type RunRecord, type RunSpec, type Store } from '../store/store.ts';
import { interruptedTurns, MAX_DISPLACEMENTS, multitaskOf, startNextOfSessionOrLog, type MultitaskPolicy } from './session-policy.ts';
import { AdmissionSlots } from './admission-slots.ts';
import type { ExecutionPool } from './execution-pool.ts';
import { sessionChannel } from './session-channel.ts';
import { createRunEmitter } from './run-emitter.ts';
import { followRun, type FollowEnd, type FollowOptions, type StopSignal } from './follow-run.ts';
import type { RunExecutor } from './run-job.ts';
import type { LoadGate } from './load-gate.ts';
import type { RunInputRequest } from './run-input.ts';
import { PausedRuns } from './paused-runs.ts';
import { assertNoNulCharacters } from './assert-no-nul.ts';

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
  /** Tools the client runs itself, and its results for the calls it ran (protocols with client-side tools). */
  clientTools?: readonly ClientTool[];
  clientToolResults?: readonly ClientToolResult[];
  /** Structured output: the final answer must be JSON valid against this schema (single agents only). */
  outputSchema?: OutputSchema;
  /** Images sent with the input; a model whose provider does not take images is refused with 422. */
  images?: readonly ImageInput[];
  /** Tool names whose calls wait for a person's approval in this run, for every agent of it. */
  requireApproval?: readonly string[];
  /** How long the run may wait for input before it fails `input_timeout` (ms; 0: never); default the server's. */
  inputTimeoutMs?: number;
  /** Receives the run's final record when it ends (runs/webhooks/); the caller checked it against the allowlist. */
  webhook?: { url: string };
  /** The tenant the caller authenticated as (the HTTP auth hook sets it); the run and its session are theirs. Default `default`. */
  tenant?: string;
  /** Who asked, for per-key limits (`admit`): the key's identity and its limits. */
  caller?: RunCaller;
  /** Double-texting: what this message does when its session has a run still going; else the agent's or team's policy. */
  multitask?: MultitaskPolicy;
  /** The route's own default, under the agent's or team's: for wire formats whose documented clients need another than `reject`. */
  routeMultitask?: MultitaskPolicy;
};

/** A caller's identity for its limits: one API key, one JWT subject or, with no keys, one client address. */
export type RunCaller = { key: string; maxConcurrentRuns?: number; dailyTokenBudget?: number };

/**
 * A run's place under its caller's limits, taken synchronously at admission and released once with what the run
 * used. `confirmed`, when present, settles once a limit shared with other instances agreed (it rejects with a 429).
 */
export type RunSlot = { release(usage?: Usage): void; confirmed?: Promise<void>; /** Frees the concurrency place, keeping the usage charge for `release`. */ suspend?(): void };

export type RunManagerOptions = {
  store: Store;
  bus: Bus;
  catalog: Catalog;
  /** Where admitted runs go to be executed: this process's pool, or the queue. */
  executor: RunExecutor;
  /** This process's execution pool, when it executes runs (role `all` or `worker`): cancels of its own runs skip the bus. */
  pool?: ExecutionPool;
  maxConcurrentRuns: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Recorded as the instance that cancels runs nobody executes; random per process by default. */
  instanceId?: string;
  /** A follower that heard nothing for this long (ms) re-reads the store, so a lost bus message cannot hang it. Default 5 000; 0 turns it off. */
  followResyncMs?: number;
  /** Per-caller limits (concurrent runs, token budget): takes a slot before any await, or throws a 429 AppError. */
  admit?: (request: StartRunRequest) => RunSlot;
  /** Refuses new runs (503 `overloaded`) while the server is saturated; see load-gate.ts. */
  loadGate?: LoadGate;
  /** How often (ms) runs paused past their input deadline are failed `input_timeout`; 0 or unset: never (tests drive `expirePausedRuns`). */
  inputSweepMs?: number;
};

// A bus for following a run that has ended: everything is in the store, so no subscription (and no wait on a Redis that may be down).
const ENDED_RUN_BUS: Bus = {
  kind: 'none',
  publish: () => {},
  subscribe: () => () => {},
  whenSubscribed: () => Promise.resolve(),
  publishControl: () => {},
  onControl: () => () => {},
  close: () => Promise.resolve(),
};

const isUnfinished = (run: RunRecord) => isUnfinishedStatus(run.status);

/**
 * Admission and the run API: validates a start, takes its slot synchronously, stores the run `queued` with its
 * `run.started` and hands a job to the executor; never runs an agent itself. Follows a run from any seq and
 * cancels it wherever it executes.
 */
export class RunManager {
  #options: RunManagerOptions;
  #slots: AdmissionSlots;
  #closing = false;
  readonly #paused: PausedRuns;
  readonly instanceId: string;

  constructor(options: RunManagerOptions) {
    this.#options = options;
    this.instanceId = options.instanceId ?? `ins_${randomUUID()}`;
    this.#slots = new AdmissionSlots({ max: options.maxConcurrentRuns, bus: options.bus, store: options.store, checkEveryMs: options.followResyncMs || 5000 });
    this.#paused = new PausedRuns({ store: options.store, bus: options.bus, executor: options.executor, log: options.log });
    if (options.inputSweepMs) this.#paused.sweepEvery(options.inputSweepMs);
  }

  /** Runs admitted here and not ended yet. */
  get activeCount(): number {
    return this.#slots.inFlight;
  }

  /** Validates the request, records the run `queued` and submits it. Resolves once the run and its `run.started` are stored. */
  async start(request: StartRunRequest): Promise<RunRecord> {
    // Everything up to the slot is synchronous: a burst in one tick sees every slot taken before it.
    if (this.#closing) throw new AppError('shutting_down', { headers: { 'retry-after': '5' } });
    this.#options.loadGate?.check();
    const { catalog, executor } = this.#options;
    assertTarget(catalog, request.target);
    const model = pickModel(catalog, request.target, request.model);
    if (request.mcpServers) validateMcpSelection(catalog.mcp, request.mcpServers);
    if (request.outputSchema) assertOutputSchemaFor(request.target, request.outputSchema);
    if (request.images?.length) assertAcceptsImages(request.target, model, catalog.models.acceptsImages(model));
    assertNoNulCharacters(request);
    const policy = multitaskOf(catalog, request.target, request.multitask, request.routeMultitask);
    if (!executor.accepting) {
      throw new AppError('executor_unavailable', { message: `Runs cannot be started now: ${executor.unavailableReason ?? 'the executor is not available'}.`, headers: { 'retry-after': '5' } });
    }
    const slot = this.#slots.take();
    // The caller's own slot (per-key limits) too, before the first await; both are given back on every path.
    let keySlot: RunSlot | undefined;
    try {
      keySlot = this.#options.admit?.(request);
    } catch (error) {
      slot.release();
      throw error;
    }
    const release = (usage?: Usage) => {
      slot.release();
      keySlot?.release(usage);
    };
    // Paused for input: the places go back, the key's token charge waits for the end.
    const suspend = () => {
      slot.release();
      keySlot?.suspend?.();
    };
    try {
      await keySlot?.confirmed;
      const runId = `run_${randomUUID()}`;
      const sessionId = request.sessionId ?? `ses_${randomUUID()}`;
      // A named session's turns are read when the run executes: its session is its alone from then on (double-texting).
      const spec: RunSpec = {
        ...(request.history ? { history: request.history.map(({ role, content }) => ({ role, content })) } : request.sessionId ? { sessionHistory: true } : { historyCount: 0 }),
        ...(request.tenant ? { tenant: request.tenant } : {}),
        ...(request.mcpServers ? { mcpServers: [...request.mcpServers] } : {}),
        ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
        ...(request.clientTools?.length ? { clientTools: [...request.clientTools] } : {}),
        ...(request.clientToolResults?.length ? { clientToolResults: [...request.clientToolResults] } : {}),
        ...(request.outputSchema ? { outputSchema: request.outputSchema } : {}),
        // Stored with the run, so a resumed attempt sees them too.
        ...(request.images?.length ? { images: [...request.images] } : {}),
        ...(request.requireApproval?.length ? { requireApproval: [...request.requireApproval] } : {}),
        ...(request.inputTimeoutMs !== undefined ? { inputTimeoutMs: request.inputTimeoutMs } : {}),
        ...(request.webhook ? { webhook: { url: request.webhook.url } } : {}),
      };
      const systemAgent = systemAgentOf(request.target);
      const started = { type: 'run.started', target: request.target, input: { text: request.input, sessionId, model }, model, agent: systemAgent, runId, seq: 1, ts: new Date().toISOString() } satisfies RunEvent;
      const record = await this.#createClaimingSession(
        { id: runId, target: request.target, sessionId, model, input: request.input, metadata: request.metadata ?? null, spec, started, tenant: request.tenant, sessionClaim: policy === 'enqueue' ? 'enqueue' : 'exclusive' },
        policy,
      );
      // Watch for the end before anything can end it, so the slot is given back however fast the run is.
      this.#slots.holdUntilEnded(runId, { release, suspend });
      this.#options.bus.publish(runId, [started]);
      // Session streams learn of the new run on the session's channel (they read the store for it: this only wakes them).
      this.#options.bus.publish(sessionChannel(sessionId, request.tenant), [started]);
      try {
        // An enqueued run waiting for its session is submitted when the run before it ends (`startNextOfSession`).
        if (!record.sessionWaiting) await executor.submit({ runId, attempt: 1 });
      } catch (error) {
        // Stored `queued`: the queue's reconciler submits it again once the queue answers. Accepted is not lost.
        this.#options.log('warn', 'submitting a run failed; it stays queued and is submitted again', { runId, error: String(error) });
      }
      return { ...record, sessionId, lastSeq: 1 };
    } catch (error) {
      release();
      throw error;
    }
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
    return !isUnfinished(run) && afterSeq === run.lastSeq ? 'nothing-left' : 'follow';
  }

  /**
   * Delivers the run's events after `afterSeq` to `onEvent`, replay then live, until the terminal event or `signal`.
   * `readerBusy` paces the replay to the reader (see `FollowOptions`). `run`, when the caller has it, tells whether
   * the run has ended: then the store alone has everything.
   */
  async follow(runId: string, afterSeq: number, onEvent: (event: RunEvent) => void, signal: StopSignal, options: Pick<FollowOptions, 'readerBusy' | 'stopAt'> & { run?: RunRecord } = {}): Promise<FollowEnd> {
    const run = options.run ?? (await this.#options.store.getRun(runId));
    const bus = run && !isUnfinished(run) ? ENDED_RUN_BUS : this.#options.bus;
    return followRun({ runId, afterSeq, store: this.#options.store, bus, onEvent, signal, resyncMs: this.#followResyncMs, readerBusy: options.readerBusy, stopAt: options.stopAt });
  }

  /** Resolves when the run has ended (its terminal event is stored), with its final record; with `orPause`, also when it pauses for input. */
  async waitForEnd(runId: string, options: { orPause?: boolean } = {}): Promise<RunRecord> {
    const run = await this.get(runId);
    if (!isUnfinished(run) || (options.orPause && run.status === 'awaiting_input')) return run;
    await followRun({
      runId, afterSeq: run.lastSeq, store: this.#options.store, bus: this.#options.bus, onEvent: () => {}, signal: new AbortController().signal, resyncMs: this.#followResyncMs,
      ...(options.orPause ? { stopAt: (event: RunEvent) => event.type === 'run.awaiting_input' } : {}),
    });
    return this.get(runId);
  }

  /** Records a person's input on a paused run (`POST /v1/runs/{id}/input`, see `PausedRuns.input`). */
  async input(runId: string, request: RunInputRequest, tenant?: string): Promise<{ run: RunRecord; pending: PendingInput[] }> {
    return this.#paused.input(await this.get(runId, tenant), request);
  }

  /** The calls a paused run waits on (none for a run that is not paused). */
  pending(run: RunRecord): Promise<PendingInput[]> {
    return this.#paused.pending(run);
  }

  /** Fails every run whose wait for input has passed its deadline (`input_timeout`). */
  expirePausedRuns(): Promise<number> {
    return this.#paused.expire();
  }

  /**
   * Cancels a run wherever it runs, or ends it here if nobody executes it; resolves with the record once it has ended.
   * `keepTurns`: its message and partial answer stay in its session's history (double-texting `interrupt`).
   */
  async cancel(runId: string, reason = 'Cancelled by the client', tenant?: string, options: { keepTurns?: boolean } = {}): Promise<RunRecord> {
    // Scoped first: another tenant's run is a 404 here, and no cancel for it ever reaches the bus.
    const run = await this.get(runId, tenant);
    if (!isUnfinished(run)) {
      throw new AppError('run_not_active', { message: `Run ${runId} has already ended (${run.status}).`, details: { status: run.status } });
    }
    if (run.status === 'awaiting_input') {
      // Nobody executes a paused run: it ends here, unless an answer (or another cancel) got in first.
      const sessionMessages = options.keepTurns ? await interruptedTurns(this.#options.store, run) : undefined;
      const end: RunEnd = { status: 'cancelled', ...(sessionMessages ? { sessionMessages } : {}) };
      if (await this.#paused.end(run, { type: 'run.cancelled', reason, agent: systemAgentOf(run.target) }, end, tenant)) return this.get(runId);
      return this.cancel(runId, reason, tenant, options);
    }
    if (this.#options.pool?.cancel(runId, reason, options)) return this.waitForEnd(runId);
    if (run.status === 'running') {
      this.#options.bus.publishControl({ type: 'cancel', runId, reason, ...(options.keepTurns ? { keepTurns: true } : {}) });
      const ended = await this.#waitForEnd(runId, 5000);
      if (ended) return ended;
    }
    // Queued (no worker has it yet) or its worker does not answer: end it here, as the run's newest attempt.
    return this.#cancelUnowned(runId, reason, options.keepTurns);
  }

  /**
   * Stores the run with its claim on the session, atomically in the store (so two messages at once, on any instances,
   * cannot both pass). A busy session: `reject` answers 409; `interrupt` and `rollback` end the session's run and try
   * again (a few times: another message may take the session first); `enqueue` never finds it busy (it waits).
   */
  async #createClaimingSession(run: NewRun, policy: MultitaskPolicy): Promise<RunRecord> {
    for (let displaced = 0; ; displaced += 1) {
      try {
        return await this.#options.store.createRun(run);
      } catch (error) {
        if (!(error instanceof SessionBusyError)) throw error;
        if (policy === 'reject' || policy === 'enqueue' || displaced >= MAX_DISPLACEMENTS) {
          throw new AppError('session_busy', {
            message: `Session '${run.sessionId}' has a run still going (${error.activeRunId}). Send the message once it has ended, or choose \`multitask\`: enqueue, interrupt or rollback.`,
            details: { sessionId: run.sessionId, runId: error.activeRunId, multitask: policy },
          });
        }
        await this.#displace(error.activeRunId, policy, run);
      }
    }
  }

  /** Ends the session's run for a newer message: `interrupt` keeps its turns so far, `rollback` takes them out of the history. */
  async #displace(runId: string, policy: 'interrupt' | 'rollback', run: NewRun): Promise<void> {
    const reason = policy === 'interrupt' ? 'Interrupted by a newer message in its session (multitask: interrupt).' : 'Rolled back by a newer message in its session (multitask: rollback).';
    try {
      await this.cancel(runId, reason, run.tenant, { keepTurns: policy === 'interrupt' });
    } catch (error) {
      // It ended meanwhile: nothing to cancel. A rollback still takes its turns out (the newer message replaces it).
      if (!(error instanceof AppError && (error.code === 'run_not_active' || error.code === 'run_not_found'))) throw error;
    }
    if (policy === 'rollback') await this.#options.store.deleteRunTurns(run.sessionId, runId, run.tenant);
  }

  /** Cancels a run if it is still going, wherever it executes; no error when it has ended. For `onDisconnect: cancel`. */
  cancelIfActive(runId: string, reason: string): void {
    if (this.#options.pool?.cancel(runId, reason)) return;
    this.#options.bus.publishControl({ type: 'cancel', runId, reason });
    // Still waiting in the queue, nobody would hear the message: end it here.
    void this.#options.store.getRun(runId)
      .then((run) => (run?.status === 'queued' ? this.#cancelUnowned(runId, reason) : run?.status === 'awaiting_input' ? this.cancel(runId, reason) : undefined))
      .catch((error: unknown) => this.#options.log('warn', 'cancelling a queued run failed', { runId, error: String(error) }));
  }

  /** The run; with `tenant`, only when it is that tenant's (another tenant's run is `run_not_found`, as an unknown id). */
  async get(runId: string, tenant?: string): Promise<RunRecord> {
    const run = await this.#options.store.getRun(runId, tenant);
    if (!run) throw new AppError('run_not_found', { message: `Run '${runId}' not found.`, details: { runId } });
    return run;
  }

  list(filter: RunFilter, tenant?: string): Promise<RunPage> {
    return this.#options.store.listRuns(filter, tenant);
  }

  get #followResyncMs(): number {
    return this.#options.followResyncMs ?? 5000;
  }

  /** How often (ms) a follower with no news looks at the store (never 0 here: a session stream waits this long at most). */
  get resyncMs(): number {
    return this.#followResyncMs || 5000;
  }

  /** True once `close` was called: new starts get 503. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Stops admitting runs (503 with Retry-After). Runs already admitted go on wherever they execute. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#paused.stop();
    this.#slots.releaseAll();
  }

  async #cancelUnowned(runId: string, reason: string, keepTurns = false): Promise<RunRecord> {
    const { store, bus } = this.#options;
    // Also a run still waiting for its session's earlier run (double-texting `enqueue`): it never started.
    const claimed = await store.claimRun(runId, this.instanceId, { evenIfWaiting: true });
    if (claimed) {
      const { run, spec } = claimed;
      await this.#options.executor.discard(runId).catch(() => {});
      const emitter = createRunEmitter({ runId, store, bus, startSeq: run.lastSeq, attempt: run.attempt, onStoreError: () => {} });
      const agent = systemAgentOf(run.target);
      const sessionMessages = keepTurns ? await interruptedTurns(store, run) : undefined;
      await emitter.finish({ type: 'run.cancelled', reason, agent }, { status: 'cancelled', ...(sessionMessages ? { sessionMessages } : {}) });
      // Its session may have had a run waiting for it, which nobody else would start now.
      await startNextOfSessionOrLog(store, this.#options.executor, run, spec.tenant, this.#options.log);
    }
    const after = await this.get(runId);
    if (!isUnfinished(after)) return after;
    // A worker claimed it between our claim and our end (our write was refused): cancel it where it now runs.
    this.#options.bus.publishControl({ type: 'cancel', runId, reason });
    return (await this.#waitForEnd(runId, 5000)) ?? this.get(runId);
  }

  /** The run's record once it has ended, or undefined after `timeoutMs`. */
  async #waitForEnd(runId: string, timeoutMs: number): Promise<RunRecord | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const run = await this.get(runId);
      const how = await followRun({ runId, afterSeq: run.lastSeq, store: this.#options.store, bus: this.#options.bus, onEvent: () => {}, signal: controller.signal, resyncMs: this.#followResyncMs });
      if (how === 'aborted') return undefined;
    } finally {
      clearTimeout(timer);
    }
    return this.get(runId);
  }
}
