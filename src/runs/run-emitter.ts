import type { EmittedEvent, RunEvent } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import type { RunEnd, Store } from '../store/store.ts';

export type RunEmitterOptions = { runId: string; store: Store; bus: Bus; startSeq?: number; onStoreError: (error: unknown) => void };

type RunEndWrite = { end: RunEnd; beforePublish?: () => Promise<void> };

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
  async finish(body: EmittedEvent, end: RunEnd, beforePublish?: () => Promise<void>): Promise<RunEvent> {
    this.#finished = true;
    const event = this.#queue(body);
    await this.flush({ end, beforePublish });
    return event;
  }

  #queue(body: EmittedEvent): RunEvent {
    this.#seq += 1;
    const event = { ...body, runId: this.#options.runId, seq: this.#seq, ts: timestampNow() } as RunEvent;
    this.#pending.push(event);
    return event;
  }

  async #writeBatch(batch: RunEvent[], end: RunEndWrite | undefined): Promise<void> {
    const { runId, store, bus } = this.#options;
    try {
      // The terminal batch and the run's end commit together (see Store.appendEvents).
      if (batch.length > 0 || end) await store.appendEvents(runId, batch, end?.end);
      await end?.beforePublish?.();
    } catch (error) {
      // The store refused: publish anyway so no live subscriber hangs; the caller decides how the run ends.
      this.#options.onStoreError(error);
    }
    bus.publish(runId, batch);
  }
}

export function createRunEmitter(options: RunEmitterOptions): RunEmitter {
  return new RunEmitter(options);
}
