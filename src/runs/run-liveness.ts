import type { Store } from '../store/store.ts';

/** What the heartbeat-and-sweep timer needs. */
export type RunLivenessOptions = {
  store: Store;
  /** This instance's id, recorded as the owner of the runs it executes. */
  instanceId: string;
  /** How often (ms) this instance refreshes its runs' heartbeat and sweeps. */
  heartbeatMs: number;
  /** False when this instance executes no run: then there is no heartbeat to write. */
  hasActiveRuns: () => boolean;
  /** Looks for runs whose executor died and gets them going again (claims and resumes them, or re-enqueues them). */
  sweep: () => Promise<void>;
  log: (level: 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
};

/**
 * Keeps a shared store honest about which runs are still executing somewhere: every `heartbeatMs` the instance
 * marks its own unfinished runs alive, then sweeps for runs whose owner stopped heart-beating. Returns `stop`.
 */
export function startRunLiveness(options: RunLivenessOptions): () => void {
  const { store, instanceId, log } = options;
  let ticking = false;
  const tick = async () => {
    // A tick slower than the period (a store under load) is not stacked with another one.
    if (ticking) return;
    ticking = true;
    try {
      if (options.hasActiveRuns()) await store.heartbeatRuns(instanceId);
      await options.sweep();
    } catch (error) {
      log('warn', 'run heartbeat or sweep failed', { instanceId, error: String(error) });
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), options.heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}
