import type { EmittedEvent, RunEvent } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import { StaleAttemptError, type RunEnd, type Store } from '../store/store.ts';

export type RunEmitterOptions = {
  runId: string;
  store: Store;
  bus: Bus;
  startSeq?: number;
  /** The execution's attempt: every write names it, and the store refuses it once a newer attempt exists. */
  attempt?: number;
  onStoreError: (error: unknown) => void;
  /** First wait (ms) before storing again what the store refused after the run ended; doubles up to 30 s. Default 1 000. */
  storeRetryMs?: number;
};

const MAX_STORE_RETRY_MS = 30_000;

// How a flush leaves the run: ended (with its terminal event), or paused for input (with its `run.awaiting_input`).
type RunEndWrite = { end: RunEnd } | { pause: { inputExpiresAt: string | null } };

// `new Date().toISOString()` costs ~1 µs, as much as the rest of `emit` (bench/README.md); `ts` has
// millisecond resolution, so every event of one millisecond shares the same string.
let stampedAtMs = -1;
let stampedAt = '';
function timestampNow(): string {
  const now = Date.now();
  if (now !== stampedAtMs) {
    stampedAtMs = now;
    stampedAt = new Date(now).toISOString();
  }
  return stampedAt;
}

// A module function with the emitter as its argument: no closure per run for its end-of-turn flush.
function flushEmitter(emitter: RunEmitter): void {
  void emitter.flush();
}

/**
 * The one writer of a run's events. Events queued in one tick are written to the store as one batch
 * and only then published, so a subscriber that reads the store after subscribing never misses one.
 * A class, not closures: thousands of open runs each hold one, and a closure per method would be a
 * heap object per method per run.
 */
export class RunEmitter {
  readonly #options: RunEmitterOptions;
  #seq: number;
  #pending: RunEvent[] = [];
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #finished = false;
  // Events the store refused (published anyway), in seq order, and the run's end if that was refused too: written
  // first by the next batch, or by a retry once the run has ended, so nothing a client saw is missing from replays.
  #unstored: RunEvent[] | undefined;
  #unstoredEnd: RunEndWrite | undefined;
  #retryMs = 0;
  #superseded = false;

  constructor(options: RunEmitterOptions) {
    this.#options = options;
    this.#seq = options.startSeq ?? 0;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  /** Stamps `runId`, the next `seq` and `ts`, and queues the event. Ignored once the run has finished. */
  emit(body: EmittedEvent): void {
    // Work still in flight when the run ended (an aborting sibling) must not write past the terminal event.
    if (this.#finished) return;
    this.#queue(body);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(flushEmitter, this);
    }
  }

  /** Stores the queued events, then publishes them. Resolves when both are done. */
  flush(end?: RunEndWrite): Promise<void> {
    this.#scheduled = false;
    const batch = this.#pending;
    // Already written by `finish` earlier this turn: nothing to store or publish.
    if (batch.length === 0 && !end) return this.#chain;
    this.#pending = [];
    this.#chain = this.#chain.then(() => this.#writeBatch(batch, end));
    return this.#chain;
  }

  /** Emits the terminal event and records the run's end in the same flush, before anyone sees the terminal event. */
  async finish(body: EmittedEvent, end: RunEnd): Promise<RunEvent> {
    this.#finished = true;
    const event = this.#queue(body);
    await this.flush({ end });
    return event;
  }

  /**
   * Emits `run.awaiting_input` and pauses the run in the same write: stored, the run is `awaiting_input` with no owner.
   * Nothing more is emitted by this execution; the run goes on in a new attempt once a person answers.
   */
  async pause(body: EmittedEvent, inputExpiresAt: string | null): Promise<RunEvent> {
    this.#finished = true;
    const event = this.#queue(body);
    await this.flush({ pause: { inputExpiresAt } });
    return event;
  }

  #queue(body: EmittedEvent): RunEvent {
    this.#seq += 1;
    const event = { ...body, runId: this.#options.runId, seq: this.#seq, ts: timestampNow() } as RunEvent;
    this.#pending.push(event);
    return event;
  }

  async #writeBatch(batch: RunEvent[], end: RunEndWrite | undefined): Promise<void> {
    // A newer attempt owns the run: what this one still had queued is neither stored nor published.
    if (this.#superseded) return;
    const stored = await this.#store(batch, end);
    if (this.#superseded) return;
    // Stored or not, publish: no live subscriber may hang; the caller decides how the run ends.
    this.#options.bus.publish(this.#options.runId, batch);
    if (!stored && end) this.#scheduleRetry();
  }

  /** Appends what an earlier refusal left behind, then `batch` (and `end`); on refusal keeps them all for later. */
  async #store(batch: RunEvent[], end: RunEndWrite | undefined): Promise<boolean> {
    const { runId, store } = this.#options;
    let events = batch;
    try {
      if (this.#unstored) {
        // A refusal may have come after a commit (a lost reply): keep only what the store does not have.
        const storedSeq = (await store.getRun(runId))?.lastSeq ?? 0;
        events = [...this.#unstored, ...batch].filter((event) => event.seq > storedSeq);
      }
      if (end && 'pause' in end) await store.pauseRun(runId, events, this.#options.attempt ?? 0, end.pause.inputExpiresAt);
      else if (events.length > 0 || end) await store.appendEvents(runId, events, end?.end, this.#options.attempt);
      this.#unstored = undefined;
      this.#unstoredEnd = undefined;
      return true;
    } catch (error) {
      if (error instanceof StaleAttemptError) {
        this.#superseded = true;
        this.#finished = true;
        this.#unstored = undefined;
        this.#unstoredEnd = undefined;
        this.#options.onStoreError(error);
        return false;
      }
      this.#unstored = events;
      if (end) this.#unstoredEnd = end;
      this.#options.onStoreError(error);
      return false;
    }
  }

  #scheduleRetry(): void {
    this.#retryMs = Math.min(this.#retryMs === 0 ? (this.#options.storeRetryMs ?? 1000) : this.#retryMs * 2, MAX_STORE_RETRY_MS);
    setTimeout(retryStore, this.#retryMs, this).unref();
  }

  /** Stores what the store refused at the run's end, then publishes it again for followers that joined since. */
  retryStore(): void {
    const end = this.#unstoredEnd;
    if (!end) return;
    this.#chain = this.#chain.then(async () => {
      const events = this.#unstored ?? [];
      if (!(await this.#store([], end))) return this.#scheduleRetry();
      this.#options.bus.publish(this.#options.runId, events);
    });
  }
}

// A module function with the emitter as argument: only runs whose end the store refused hold a retry timer.
function retryStore(emitter: RunEmitter): void {
  emitter.retryStore();
}

export function createRunEmitter(options: RunEmitterOptions): RunEmitter {
  return new RunEmitter(options);
}
