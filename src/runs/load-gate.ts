import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppError } from '../errors/app-error.ts';

/** The load the gate looks at, read at each admission. Injectable so a test can say what the load is. */
export type LoadProbe = () => { eventLoopDelayMs: number; openStreams: number };

export type LoadGateOptions = {
  /** Past this event-loop delay (ms, the median over the last one to two seconds) new runs are refused. 0: not checked. */
  maxEventLoopDelayMs: number;
  /** Past this many open streams new runs are refused. 0: not checked. */
  maxOpenStreams: number;
  /** How many streams are open now (the HTTP layer knows; the gate does not reach for it). */
  openStreams: () => number;
  /** Replaces the measured load (tests). */
  probe?: LoadProbe;
  /** Seconds a refused client is told to wait (`Retry-After`). Default 1. */
  retryAfterSeconds?: number;
};

// The window the delay is measured over: long enough to smooth one slow turn, short enough to see recovery in seconds.
const WINDOW_MS = 1000;
// The histogram samples the time between ticks of a timer of this period: the delay is what exceeds it.
const RESOLUTION_MS = 10;

/**
 * Admission by load: a saturated server refuses new runs at once (503 `overloaded`, `Retry-After`) instead of
 * queueing them behind the ones it has, so the runs it already admitted keep their pace and the refused client
 * can go elsewhere or come back. `check` is synchronous: it runs before anything of the run exists.
 */
export class LoadGate {
  readonly #options: LoadGateOptions;
  #histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  #timer: NodeJS.Timeout | undefined;
  // Median of the previous window: the current one has just been reset at each window's start. The median, not a high
  // percentile: one long pause (a GC, a big synchronous job) is not overload; a loop that is behind all the time is.
  #previousMedianMs = 0;

  constructor(options: LoadGateOptions) {
    this.#options = options;
  }

  /**
   * Starts measuring the event loop. Called once the process is warm (just before it listens): the warm-up's own
   * blocking must not count as load, or a fresh server would refuse its first requests.
   */
  start(): void {
    if (this.#histogram || this.#options.maxEventLoopDelayMs <= 0 || this.#options.probe) return;
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#histogram.enable();
    this.#timer = setInterval(() => this.#rotate(), WINDOW_MS);
    this.#timer.unref();
  }

  /** The load now: the event loop's median delay (ms) over the last one to two windows, and the open streams. */
  read(): { eventLoopDelayMs: number; openStreams: number } {
    if (this.#options.probe) return this.#options.probe();
    const current = this.#histogram ? medianDelayMs(this.#histogram) : 0;
    return { eventLoopDelayMs: Math.max(current, this.#previousMedianMs), openStreams: this.#options.openStreams() };
  }

  /** Throws 503 `overloaded` (with `Retry-After`) when the load is past a bound; returns otherwise. */
  check(): void {
    const { maxEventLoopDelayMs, maxOpenStreams } = this.#options;
    if (maxEventLoopDelayMs <= 0 && maxOpenStreams <= 0) return;
    const load = this.read();
    const reason = maxEventLoopDelayMs > 0 && load.eventLoopDelayMs > maxEventLoopDelayMs
      ? `the event loop is ${Math.round(load.eventLoopDelayMs)} ms behind (limit ${maxEventLoopDelayMs} ms)`
      : maxOpenStreams > 0 && load.openStreams >= maxOpenStreams ? `${load.openStreams} streams are open (limit ${maxOpenStreams})` : undefined;
    if (!reason) return;
    throw new AppError('overloaded', {
      message: `The server is overloaded: ${reason}. Retry later.`,
      headers: { 'retry-after': String(this.#options.retryAfterSeconds ?? 1) },
      details: { eventLoopDelayMs: Math.round(load.eventLoopDelayMs), openStreams: load.openStreams },
    });
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#histogram?.disable();
  }

  #rotate(): void {
    const histogram = this.#histogram!;
    this.#previousMedianMs = medianDelayMs(histogram);
    histogram.reset();
  }
}

// A window with fewer samples than this is one long pause (a synchronous job longer than the window), not a loop
// that is behind on every turn: it does not count as load.
const MIN_SAMPLES = 3;

function medianDelayMs(histogram: ReturnType<typeof monitorEventLoopDelay>): number {
  return histogram.count >= MIN_SAMPLES ? Math.max(0, histogram.percentile(50) / 1e6 - RESOLUTION_MS) : 0;
}
