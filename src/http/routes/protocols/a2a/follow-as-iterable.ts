import type { RunEvent } from '../../../../events/run-event.ts';
import type { RunManager } from '../../../../runs/run-manager.ts';

// A replay pauses while this many events wait unread (follow-run's readerBusy); live events never wait.
const QUEUE_HIGH_WATER = 64;

/**
 * A run's events after `afterSeq` as an async iterable, replay then live, to the terminal event. For
 * protocol handlers written as async generators (the A2A SDK's). Ends early when `signal` aborts, or after the
 * event `stopAt` picks (a pause for input, where an A2A task is interrupted).
 */
export async function* followAsIterable(runs: RunManager, runId: string, afterSeq: number, signal: AbortSignal, stopAt?: (event: RunEvent) => boolean): AsyncGenerator<RunEvent> {
  const queue: RunEvent[] = [];
  let wake: (() => void) | undefined;
  let drained: { promise: Promise<void>; resolve: () => void } | undefined;
  let finished = false;
  let failure: unknown;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  runs.follow(runId, afterSeq, (event) => {
    queue.push(event);
    notify();
  }, stop.signal, {
    ...(stopAt ? { stopAt } : {}),
    readerBusy: () => {
      if (queue.length < QUEUE_HIGH_WATER) return undefined;
      if (!drained) {
        let resolve!: () => void;
        const promise = new Promise<void>((settle) => (resolve = settle));
        drained = { promise, resolve };
      }
      return drained.promise;
    },
  }).then(() => {
    finished = true;
    notify();
  }, (error: unknown) => {
    failure = error;
    finished = true;
    notify();
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        yield queue.shift()!;
        if (queue.length < QUEUE_HIGH_WATER / 2 && drained) {
          drained.resolve();
          drained = undefined;
        }
        continue;
      }
      if (finished) {
        if (failure !== undefined) throw failure;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    drained?.resolve();
  }
}
