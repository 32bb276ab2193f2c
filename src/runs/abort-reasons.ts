/** Why a run's AbortController fired; the run manager turns each into a different terminal event. */
export class CancelReason extends Error {
  override name = 'AbortError';
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

export function abortReasonOf(signal: AbortSignal): CancelReason | TimeoutReason | ShutdownReason | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  if (reason instanceof CancelReason || reason instanceof TimeoutReason || reason instanceof ShutdownReason) return reason;
  return new CancelReason('Cancelled');
}
