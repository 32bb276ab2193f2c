import type { ExecutionPool } from './execution-pool.ts';
import type { RunExecutor, RunJob } from './run-job.ts';

/** The embedded executor: jobs run in this process's execution pool, started at once. */
export function createInProcessExecutor(pool: ExecutionPool, log: (level: 'error', message: string, fields?: Record<string, unknown>) => void): RunExecutor {
  let closed = false;
  return {
    kind: 'in-process',
    get accepting() {
      return !closed;
    },
    async submit(job: RunJob) {
      // Closed (shutting down): the run stays `queued` in the store and the next start resumes it.
      if (closed) return;
      void pool.execute(job).catch((error: unknown) => log('error', 'executing a run failed before it started', { runId: job.runId, error: String(error) }));
    },
    async discard() {},
    async depth() {
      return undefined;
    },
    async close() {
      closed = true;
    },
  };
}
