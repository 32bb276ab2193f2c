import type { Bus } from '../bus/bus.ts';
import type { PublicError, RunEvent } from '../events/run-event.ts';
import type { RunRecord, Store } from '../store/store.ts';

/** What the heartbeat-and-sweep timer needs; the run manager builds it from its own options. */
export type RunLivenessOptions = {
  store: Store;
  bus: Bus;
  /** This instance's id, recorded as the owner of the runs it executes. */
  instanceId: string;
  /** How often (ms) this instance refreshes its runs' heartbeat and sweeps for runs of dead instances. */
  heartbeatMs: number;
  /** A heartbeat this old (ms, by the store's clock) means its owner is dead. Several heartbeats, so a slow beat is no death. */
  staleAfterMs: number;
  /** False when this instance executes no run: then there is no heartbeat to write. */
  hasActiveRuns: () => boolean;
  log: Log;
};

type Log = (level: 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

const INTERRUPTED: PublicError = { code: 'interrupted', message: 'The server stopped while the run was in progress.' };

/**
 * Keeps a shared store honest about which runs are still executing somewhere. Every `heartbeatMs` the instance
 * marks its own unfinished runs alive, then claims the runs whose owner stopped heart-beating (a crashed or
 * cut-off instance) and ends each with `run.failed` code `interrupted`, so their followers on any instance end.
 * Returns `stop`.
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
      await sweepStaleRuns({ store, bus: options.bus, instanceId, staleAfterMs: options.staleAfterMs, log });
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

/**
 * Claims every unfinished run whose owner has not heart-beaten for `staleAfterMs` and ends it as interrupted.
 * With `staleAfterMs` 0 that is every unfinished run of another owner: what a store only this process opens
 * holds at start-up. Returns how many runs it ended.
 */
export async function sweepStaleRuns(options: { store: Store; bus: Bus; instanceId: string; staleAfterMs: number; log: Log }): Promise<number> {
  const stale = await options.store.claimStaleRuns(options.instanceId, options.staleAfterMs);
  for (const run of stale) {
    try {
      await interruptRun(run, options);
    } catch (error) {
      options.log('error', 'ending an interrupted run failed', { runId: run.id, error: String(error) });
    }
  }
  if (stale.length > 0) options.log('warn', 'ended runs whose instance stopped as interrupted', { count: stale.length, runIds: stale.map((run) => run.id) });
  return stale.length;
}

/**
 * Appends `run.failed` (code `interrupted`) after the run's last stored event, records the end, then publishes.
 * If the old owner was only slow and wrote meanwhile, the gapless append refuses; the run is re-read and the
 * terminal event goes after what it wrote, unless it has ended the run itself.
 */
async function interruptRun(claimed: RunRecord, deps: { store: Store; bus: Bus }): Promise<void> {
  const attempts = 3;
  let run: RunRecord | undefined = claimed;
  for (let attempt = 1; run && (run.status === 'queued' || run.status === 'running'); attempt += 1) {
    const event = {
      type: 'run.failed', error: INTERRUPTED, runId: run.id, seq: run.lastSeq + 1, ts: new Date().toISOString(),
      agent: { id: run.target.id, name: run.target.id, role: run.target.kind === 'team' ? 'orchestrator' : 'agent', path: [] },
    } satisfies RunEvent;
    try {
      await deps.store.appendEvents(run.id, [event], { status: 'failed', error: INTERRUPTED });
    } catch (error) {
      if (attempt >= attempts) throw error;
      run = await deps.store.getRun(run.id);
      continue;
    }
    deps.bus.publish(run.id, [event]);
    return;
  }
}
