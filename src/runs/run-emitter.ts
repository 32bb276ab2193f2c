import type { EmittedEvent, RunEvent } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import type { RunEnd, Store } from '../store/store.ts';

export type RunEmitter = {
  /** Stamps `runId`, the next `seq` and `ts`, and queues the event. Ignored once the run has finished. */
  emit(body: EmittedEvent): void;
  /** Stores the queued events, then publishes them. Resolves when both are done. */
  flush(): Promise<void>;
  /** Emits the terminal event and records the run's end in the same flush, before anyone sees the terminal event. */
  finish(body: EmittedEvent, end: RunEnd, beforePublish?: () => Promise<void>): Promise<RunEvent>;
  readonly lastSeq: number;
};

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

/**
 * The one writer of a run's events. Events queued in one tick are written to the store as one batch
 * and only then published, so a subscriber that reads the store after subscribing never misses one.
 */
export function createRunEmitter(options: { runId: string; store: Store; bus: Bus; startSeq?: number; onStoreError: (error: unknown) => void }): RunEmitter {
  const { runId, store, bus } = options;
  let seq = options.startSeq ?? 0;
  let pending: RunEvent[] = [];
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  const writeBatch = async (batch: RunEvent[], end?: { end: RunEnd; beforePublish?: () => Promise<void> }) => {
    try {
      if (batch.length > 0) await store.appendEvents(runId, batch);
      if (end) {
        await store.endRun(runId, end.end);
        await end.beforePublish?.();
      }
    } catch (error) {
      // The store refused: publish anyway so no live subscriber hangs; the caller decides how the run ends.
      options.onStoreError(error);
    }
    bus.publish(runId, batch);
  };

  const flush = (end?: { end: RunEnd; beforePublish?: () => Promise<void> }): Promise<void> => {
    scheduled = false;
    const batch = pending;
    pending = [];
    chain = chain.then(() => writeBatch(batch, end));
    return chain;
  };

  return {
    emit(body) {
      // Work still in flight when the run ended (an aborting sibling) must not write past the terminal event.
      if (finished) return;
      seq += 1;
      const event = { ...body, runId, seq, ts: timestampNow() } as RunEvent;
      pending.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush: () => flush(),
    async finish(body, end, beforePublish) {
      finished = true;
      seq += 1;
      const event = { ...body, runId, seq, ts: timestampNow() } as RunEvent;
      pending.push(event);
      await flush({ end, beforePublish });
      return event;
    },
    get lastSeq() {
      return seq;
    },
  };
}
