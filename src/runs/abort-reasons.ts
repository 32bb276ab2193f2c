import { NotResumableError, PauseReason } from '../agents/run-journal.ts';

/** Why a run's AbortController fired; the executor turns each into a different ending. */
export class CancelReason extends Error {
  override name = 'AbortError';
  /** The run's turns (its message and the answer so far) stay in its session's history: a double-texting `interrupt`. */
  readonly keepTurns: boolean;
  constructor(message: string, options: { keepTurns?: boolean } = {}) {
    super(message);
    this.keepTurns = options.keepTurns ?? false;
  }
}

export class TimeoutReason extends Error {
  override name = 'AbortError';
  constructor(timeoutMs: number) {
    super(`The run exceeded its time limit of ${timeoutMs} ms.`);
  }
}

export class ShutdownReason extends Error {
  override name = 'AbortError';
}

/** The run already failed; this abort only stops work still in flight. */
export class RunEndedReason extends Error {
  override name = 'AbortError';
}

/** This process stops: the run is handed back (not ended) so another worker, or the next start, resumes it. */
export class HandoffReason extends Error {
  override name = 'AbortError';
}

/** A newer attempt of the run exists (the store refused this one's write): stop without writing anything. */
export class SupersededReason extends Error {
  override name = 'AbortError';
}

export type AbortReason = CancelReason | TimeoutReason | ShutdownReason | HandoffReason | SupersededReason | NotResumableError | PauseReason;

export function abortReasonOf(signal: AbortSignal): AbortReason | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  if (reason instanceof CancelReason || reason instanceof TimeoutReason || reason instanceof ShutdownReason
    || reason instanceof HandoffReason || reason instanceof SupersededReason || reason instanceof NotResumableError || reason instanceof PauseReason) return reason;
  return new CancelReason('Cancelled');
}
