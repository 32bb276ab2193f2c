/**
 * What an executor is handed: plain data, so it can cross a process boundary (a queue). `attempt` is the
 * attempt the submitter expects to start; the store's claim decides the real one (a job delivered twice starts
 * a newer attempt, and the older one's writes are refused from then on).
 */
export type RunJob = {
  runId: string; attempt: number; reason?: string;
  /** Delivered by the queue (which may deliver a job twice). */
  fromQueue?: boolean;
  /** Submitted because a person answered a paused run: it may arrive while the execution that paused is still ending. */
  afterInput?: boolean;
};

/**
 * The executor port: admission hands it jobs and never runs an agent itself. In-process (embedded) or a queue
 * (BullMQ on Redis) with workers in other processes.
 */
export interface RunExecutor {
  readonly kind: 'in-process' | 'queue';
  /** False while the executor cannot take jobs (its Redis is down): admission then answers 503 at once. */
  readonly accepting: boolean;
  /** Why it is not accepting, for `/ready`. */
  readonly unavailableReason?: string;
  submit(job: RunJob): Promise<void>;
  /** Forgets a job that has not started (its run was cancelled while queued). Best effort. */
  discard(runId: string): Promise<void>;
  /** Jobs waiting, when the executor knows (the queue's backlog). */
  depth(): Promise<number | undefined>;
  close(): Promise<void>;
}
