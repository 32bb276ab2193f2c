import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import { systemAgentOf, type EmittedEvent, type PendingInput, type PublicError, type RunEvent } from '../events/run-event.ts';
import type { RunEnd, RunRecord, Store } from '../store/store.ts';
import type { RunExecutor } from './run-job.ts';
import { inputEventFor, notAwaitingInput, pendingOf, type RunInputRequest } from './run-input.ts';
import { startNextOfSessionOrLog, type Log } from './session-policy.ts';

export type PausedRunsOptions = { store: Store; bus: Bus; executor: RunExecutor; log: Log };

/**
 * Runs paused for a person (human in the loop): recording an answer, ending a paused run (cancel, expiry). Nobody
 * executes a paused run, so every write here is a compare-and-set on the run's status and newest seq in the store
 * (`appendToPausedRun`): of two writers at once, exactly one goes in.
 */
export class PausedRuns {
  readonly #options: PausedRunsOptions;
  #sweep: NodeJS.Timeout | undefined;

  constructor(options: PausedRunsOptions) {
    this.#options = options;
  }

  /** Fails runs past their input deadline every `everyMs` (API instances; one of them wins each run). */
  sweepEvery(everyMs: number): void {
    this.#sweep = setInterval(() => {
      this.expire().catch((error: unknown) => this.#options.log('warn', 'expiring paused runs failed', { error: String(error) }));
    }, everyMs);
    this.#sweep.unref();
  }

  stop(): void {
    clearInterval(this.#sweep);
  }

  /**
   * Records a person's input on `run` (`POST /v1/runs/{id}/input`): validated against what it waits on, written only if
   * nobody answered meanwhile (else 409 `input_conflict`, nothing written). Once nothing is pending the run is queued
   * again and any worker resumes it, on the same stream and seq sequence.
   */
  async input(run: RunRecord, request: RunInputRequest): Promise<{ run: RunRecord; pending: PendingInput[] }> {
    const { store, bus, executor } = this.#options;
    if (run.status !== 'awaiting_input') throw notAwaitingInput(run);
    const event = inputEventFor(run, await pendingOf(store, run), request);
    const resumes = event.pending.length === 0;
    if (!(await store.appendToPausedRun(run.id, [event], run.lastSeq, resumes ? 'queued' : 'paused'))) {
      const now = (await store.getRun(run.id)) ?? run;
      if (now.status !== 'awaiting_input') throw notAwaitingInput(now);
      throw new AppError('input_conflict', { message: `Another answer for run ${run.id} was recorded first; read its pending calls and decide again.`, details: { lastSeq: now.lastSeq } });
    }
    bus.publish(run.id, [event]);
    if (resumes) {
      try {
        await executor.submit({ runId: run.id, attempt: run.attempt + 1, afterInput: true, reason: 'A person answered the run.' });
      } catch (error) {
        // Stored `queued`: the reconciler (or the next start) submits it again. Accepted is not lost.
        this.#options.log('warn', 'submitting a resumed run failed; it stays queued and is submitted again', { runId: run.id, error: String(error) });
      }
    }
    return { run: { ...run, status: resumes ? 'queued' : 'awaiting_input', lastSeq: event.seq }, pending: event.pending };
  }

  /** The calls a paused run waits on (none for a run that is not paused). */
  async pending(run: RunRecord): Promise<PendingInput[]> {
    return run.status === 'awaiting_input' ? pendingOf(this.#options.store, run) : [];
  }

  /** Fails every run whose wait for input has passed its deadline (`input_timeout`). Safe on several instances at once. */
  async expire(): Promise<number> {
    let expired = 0;
    for (const run of await this.#options.store.listExpiredPausedRuns(new Date().toISOString())) {
      const error: PublicError = { code: 'input_timeout', message: 'Nobody answered the run\'s pending input in time.' };
      if (await this.end(run, { type: 'run.failed', error, agent: systemAgentOf(run.target) }, { status: 'failed', error })) expired += 1;
    }
    return expired;
  }

  /** Ends a paused run with `body` (its terminal event) if it is still paused as `run` says; false when something got in first. */
  async end(run: RunRecord, body: EmittedEvent, end: RunEnd, tenant?: string): Promise<boolean> {
    const { store, bus, executor, log } = this.#options;
    const event = { ...body, runId: run.id, seq: run.lastSeq + 1, ts: new Date().toISOString() } as RunEvent;
    if (!(await store.appendToPausedRun(run.id, [event], run.lastSeq, end))) return false;
    bus.publish(run.id, [event]);
    // Its session may have had a run waiting for it (double-texting `enqueue`), handed over in the end's transaction.
    await startNextOfSessionOrLog(store, executor, run, tenant, log);
    return true;
  }
}
