import type { RequestRecipe } from './stream-request.ts';

/** Where the load goes and what it sends; `recipes` rotate per request (request variants). */
type JobBase = {
  host: string;
  port: number;
  recipes: RequestRecipe[];
  expectEvents?: number;
  maxSeconds: number;
  /** Profile the server during the measured window into `.work/profiles/<profileName>.cpuprofile` (agentstream only). */
  profileName?: string;
};

/** `concurrency` keep-alive connections, each running `runsPerConnection` runs back to back. */
export type RunsJob = JobBase & { kind: 'runs'; concurrency: number; runsPerConnection: number; recordGaps?: boolean };

/** `streams` streams open at once (each on its own connection), held until every run completes. */
export type HoldJob = JobBase & { kind: 'hold'; streams: number; maxPendingOpens: number };

/** `cycles` connect / read a few events / disconnect cycles, memory sampled at `checkpoints` pauses. */
export type SoakJob = JobBase & { kind: 'soak'; cycles: number; concurrency: number; disconnectAfterEvents: number; checkpoints: number; settleMs: number };

export type LoadJob = RunsJob | HoldJob | SoakJob;
