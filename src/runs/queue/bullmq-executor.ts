import { Queue } from 'bullmq';
import type { Store } from '../../store/store.ts';
import type { RunExecutor, RunJob } from '../run-job.ts';
import { queueConnectionOf, RUN_QUEUE_NAME } from './redis-connection-options.ts';

export type QueueExecutorOptions = {
  redisUrl: string;
  /** BullMQ's key prefix: deployments (and test suites) sharing one Redis pick different prefixes. */
  prefix: string;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
};

export type QueueExecutor = RunExecutor & {
  /**
   * Re-submits the unfinished runs of `store` that nobody heart-beats and that have no job in Redis (Redis lost it:
   * restarted without persistence, flushed, or was down when the run was admitted). PostgreSQL is the source of truth.
   */
  reconcile(store: Store, staleAfterMs: number): Promise<number>;
  /** Workers connected to the queue now (every instance's, as Redis sees them). */
  workerCount(): Promise<number>;
};

// Handed-back runs go back to the queue as a retry of the same job; the run's own attempts (in the store) decide
// when it has been tried too often, so BullMQ's count only needs to be out of the way.
const JOB_ATTEMPTS = 1_000_000;

/**
 * The queue executor's submitting side (BullMQ on Redis, https://docs.bullmq.io): one job per run, its id the
 * run's id, so a run is queued at most once however often it is submitted. Workers (`bullmq-worker.ts`) take them.
 */
export async function createQueueExecutor(options: QueueExecutorOptions): Promise<QueueExecutor> {
  const queue = new Queue<RunJob>(RUN_QUEUE_NAME, {
    connection: { ...queueConnectionOf(options.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    prefix: `${options.prefix}:bull`,
    // `custom`: the workers' strategy (bullmq-worker.ts) retries a handed-back run at once and backs off from errors.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: JOB_ATTEMPTS, backoff: { type: 'custom' } },
  });
  let ready = false;
  let lastError = 'Redis has not answered yet';
  queue.on('error', (error: Error) => {
    lastError = error.message;
  });
  const client = await queue.client;
  ready = client.status === 'ready';
  client.on('ready', () => {
    ready = true;
  });
  for (const down of ['close', 'end', 'reconnecting'] as const) {
    client.on(down, () => {
      ready = false;
    });
  }
  await queue.waitUntilReady();
  ready = true;

  return {
    kind: 'queue',
    get accepting() {
      return ready;
    },
    get unavailableReason() {
      return ready ? undefined : `Redis (the run queue) is unreachable: ${lastError}`;
    },
    async submit(job: RunJob) {
      // A resume after input gets its own job id: the job of the attempt that paused may not be removed yet.
      await queue.add('run', job, { jobId: job.afterInput ? `${job.runId}-a${job.attempt}` : job.runId });
    },
    async discard(runId: string) {
      await queue.remove(runId).catch(() => 0);
    },
    async depth() {
      return queue.getWaitingCount();
    },
    async reconcile(store: Store, staleAfterMs: number) {
      if (!ready) return 0;
      const stale = await store.listStaleRuns(staleAfterMs);
      let submitted = 0;
      for (const run of stale) {
        if (await queue.getJob(run.id)) continue;
        await queue.add('run', { runId: run.id, attempt: run.attempt + 1, reason: 'The run was queued again: its job was lost from the queue.' }, { jobId: run.id });
        submitted += 1;
      }
      if (submitted > 0) options.log('warn', 'queued again runs whose job was missing from Redis', { count: submitted });
      return submitted;
    },
    async workerCount() {
      return (await queue.getWorkers()).length;
    },
    async close() {
      await queue.close();
    },
  };
}
