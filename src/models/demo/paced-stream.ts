/** How a part sequence is released. */
export type PacingOptions<T> = {
  /** Milliseconds to wait before every delta after the first; 0 releases everything at once, with no timers. */
  tokenDelayMs: number;
  isDelta: (part: T) => boolean;
  /** Aborting errors the stream at once with the signal's reason, as a provider's fetch would. */
  signal?: AbortSignal;
};

/**
 * Streams `parts` in order with realistic pacing: non-delta parts follow their neighbours without
 * delay, deltas are spaced `tokenDelayMs` apart. Pull-based, so a slow reader slows the producer.
 */
export function createPacedStream<T>(parts: readonly T[], options: PacingOptions<T>): ReadableStream<T> {
  const { tokenDelayMs, isDelta, signal } = options;
  let index = 0;
  let hasEmittedDelta = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rejectWait: ((reason: unknown) => void) | undefined;
  let controllerRef: ReadableStreamDefaultController<T> | undefined;

  const onAbort = () => {
    clearTimeout(timer);
    rejectWait?.(signal?.reason);
    controllerRef?.error(signal?.reason);
    cleanup();
  };
  const cleanup = () => {
    signal?.removeEventListener('abort', onAbort);
    rejectWait = undefined;
  };
  const wait = () => new Promise<void>((resolve, reject) => {
    rejectWait = reject;
    timer = setTimeout(() => {
      rejectWait = undefined;
      resolve();
    }, tokenDelayMs);
  });

  return new ReadableStream<T>({
    start(controller) {
      controllerRef = controller;
      signal?.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      if (signal?.aborted) return onAbort();
      if (index >= parts.length) {
        // Nothing left (an empty sequence): fall through to close.
      } else if (tokenDelayMs <= 0) {
        // Everything at once: one synchronous pass, no timers, no promise per part.
        for (const part of parts) controller.enqueue(part);
        index = parts.length;
      } else {
        if (hasEmittedDelta && isDelta(parts[index])) await wait();
        // One delta per pull, with the framing parts around it, so backpressure reaches the pacing.
        do {
          const part = parts[index++];
          if (isDelta(part)) hasEmittedDelta = true;
          controller.enqueue(part);
        } while (index < parts.length && !isDelta(parts[index]));
      }
      if (index >= parts.length) {
        controller.close();
        cleanup();
      }
    },
    cancel() {
      clearTimeout(timer);
      cleanup();
    },
  });
}
