/** The parts, read by index (an array is one); a lazy list can make each part only when it is read. */
export type PartSequence<T> = { readonly length: number; at(index: number): T | undefined };

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
export function createPacedStream<T>(parts: PartSequence<T>, options: PacingOptions<T>): ReadableStream<T> {
  return new ReadableStream<T>(new PacedSource(parts, options));
}

/**
 * The stream's source. A class whose `pull` returns a plain promise only while it waits: a paused run
 * holds one for its whole life, and closures or an async frame per source would be memory per open run.
 */
class PacedSource<T> implements UnderlyingDefaultSource<T> {
  readonly #parts: PartSequence<T>;
  readonly #options: PacingOptions<T>;
  #index = 0;
  #hasEmittedDelta = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #rejectWait: ((reason: unknown) => void) | undefined;
  #controller: ReadableStreamDefaultController<T> | undefined;
  readonly #onAbort = () => this.#abort();

  constructor(parts: PartSequence<T>, options: PacingOptions<T>) {
    this.#parts = parts;
    this.#options = options;
  }

  start(controller: ReadableStreamDefaultController<T>): void {
    this.#controller = controller;
    this.#options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  pull(controller: ReadableStreamDefaultController<T>): Promise<void> | undefined {
    if (this.#options.signal?.aborted) {
      this.#abort();
      return undefined;
    }
    const parts = this.#parts;
    if (this.#index < parts.length && this.#options.tokenDelayMs <= 0) {
      // Everything at once: one synchronous pass, no timers, no promise per part.
      for (let index = 0; index < parts.length; index += 1) controller.enqueue(parts.at(index)!);
      this.#index = parts.length;
    } else if (this.#index < parts.length && this.#hasEmittedDelta && this.#options.isDelta(parts.at(this.#index)!)) {
      return new Promise<void>((resolve, reject) => {
        this.#rejectWait = reject;
        this.#timer = setTimeout(() => {
          this.#rejectWait = undefined;
          // Outside any promise here: a throw must error the stream, as it would from `pull`, not reach the loop.
          try {
            this.#release(controller);
            resolve();
          } catch (error) {
            reject(error);
          }
        }, this.#options.tokenDelayMs);
      });
    } else if (this.#index < parts.length) {
      this.#release(controller);
      return undefined;
    }
    // Nothing left (or an empty sequence): close.
    this.#closeIfDone(controller);
    return undefined;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#cleanup();
  }

  /** One delta per pull, with the framing parts around it, so backpressure reaches the pacing. */
  #release(controller: ReadableStreamDefaultController<T>): void {
    const { isDelta } = this.#options;
    const parts = this.#parts;
    do {
      const part = parts.at(this.#index++)!;
      if (isDelta(part)) this.#hasEmittedDelta = true;
      controller.enqueue(part);
    } while (this.#index < parts.length && !isDelta(parts.at(this.#index)!));
    this.#closeIfDone(controller);
  }

  #closeIfDone(controller: ReadableStreamDefaultController<T>): void {
    if (this.#index < this.#parts.length) return;
    controller.close();
    this.#cleanup();
  }

  #abort(): void {
    const reason = this.#options.signal?.reason;
    clearTimeout(this.#timer);
    this.#rejectWait?.(reason);
    this.#controller?.error(reason);
    this.#cleanup();
  }

  #cleanup(): void {
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#rejectWait = undefined;
  }
}
