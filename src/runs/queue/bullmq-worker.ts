import { Worker } from 'bullmq';
import type { ExecutionPool } from '../execution-pool.ts';
import type { RunJob } from '../run-job.ts';
import { queueConnectionOf, RUN_QUEUE_NAME } from './redis-connection-options.ts';
import { settleWithin } from '../settle-within.ts';

export type QueueWorkerOptions = {
  redisUrl: string;
  prefix: string;
  pool: ExecutionPool;
  /** Runs this worker executes at once. */
  concurrency: number;
  /**
   * How long (ms) a job's lock lasts without renewal: a worker that dies (kill -9) loses its jobs this long after
   * its last renewal, and the stalled-job check (every `lockMs / 2`) hands them to another worker. Default 10 000.
   */
  lockMs?: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
};

/** A run handed back on shutdown: thrown so BullMQ puts the job back in the queue at once, for another worker. */
class HandedBack extends Error {
  override name = 'HandedBack';
}

export type QueueWorker = {
  /** Stops taking jobs, then lets the pool drain (see `ExecutionPool.drain`) and closes. */
  close(graceMs: number, boundaryWaitMs: number, onLate?: () => void): Promise<void>;
  readonly running: boolean;
};

/** Takes run jobs from the queue and executes them in `pool`. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const lockMs = options.lockMs ?? 10_000;
  const worker = new Worker<RunJob>(RUN_QUEUE_NAME, async (job) => {
    const outcome = await options.pool.execute({
      ...job.data, attempt: job.data.attempt + job.attemptsMade, fromQueue: true,
      reason: job.attemptsMade > 0 ? 'The run was handed over by a worker that shut down.' : job.data.reason,
    });
    if (outcome === 'handed-back') throw new HandedBack(`run ${job.data.runId} handed back`);
    return outcome;
  }, {
    connection: { ...queueConnectionOf(options.redisUrl), maxRetriesPerRequest: null },
    prefix: `${options.prefix}:bull`,
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(Math.floor(lockMs / 2), 500),
    // Our attempts (in the store) bound retries; BullMQ must not give a stalled run up on its own.
    maxStalledCount: 1_000_000,
    autorun: false,
    // A run handed back goes again at once; a job that failed to start (PostgreSQL unreachable) backs off, 1 s doubling to 30 s.
    settings: { backoffStrategy: (attemptsMade, _type, error) => (error instanceof HandedBack ? 0 : Math.min(1000 * 2 ** Math.max(attemptsMade - 1, 0), 30_000)) },
  });
  worker.on('error', (error: Error) => options.log('warn', 'run queue worker error', { error: error.message }));
  worker.on('failed', (job, error) => {
    if (!(error instanceof HandedBack)) options.log('error', 'run job failed', { runId: job?.data.runId, error: error.message });
  });
  void worker.run().catch((error: unknown) => options.log('error', 'run queue worker stopped', { error: String(error) }));
  await worker.waitUntilReady();
  let running = true;
  return {
    get running() {
      return running;
    },
    async close(graceMs, boundaryWaitMs, onLate = () => {}) {
      running = false;
      // Stop fetching; jobs already taken keep their locks while the pool drains them. With Redis down, pausing and
      // closing would wait for a reconnect: bounded, since the runs' state is in the store and their jobs come back.
      await settleWithin(worker.pause(true), 3000, onLate);
      await options.pool.drain(graceMs, boundaryWaitMs);
      await settleWithin(worker.close(), 3000, onLate);
    },
  };
}
