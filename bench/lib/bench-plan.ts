/** How big each scenario is. `full` keeps `npm run bench` under ~15 minutes here; `quick` is a ~2-minute subset. */
export type BenchPlan = {
  /** Repetitions of the single-connection and 50-connection scenarios; the median is reported. */
  repeats: number;
  /** Warm-up runs on each of 10 connections before the first measurement (at most 20 s), not reported. */
  warmupRunsPerConnection: number;
  single: { runs: number; maxSeconds: number };
  concurrent50: { runsPerConnection: number; maxSeconds: number };
  concurrent500: { runsPerConnection: number; maxSeconds: number };
  /** Short runs: the demo assistant's answer (~140 events, reasoning, a tool call, text), no token delay. */
  short: { concurrency: number; runsPerConnection: number; maxSeconds: number };
  paced: { streams: number; deltas: number; delayMs: number; maxSeconds: number };
  /** Paced at scale: many paced runs at once on one fresh server (all must complete; first event and gaps). */
  pacedScale: { streams: number; deltas: number; delayMs: number; maxSeconds: number };
  /** Memory of open paced runs: streams held open while their runs stream, memory sampled once all are open. */
  pacedMemory: { streams: number; deltas: number; delayMs: number; maxPendingOpens: number; maxSeconds: number };
  idle: { streams: number; deltas: number; delayMs: number; maxPendingOpens: number; maxSeconds: number };
  soak: { cycles: number; concurrency: number; deltas: number; delayMs: number; disconnectAfterEvents: number; checkpoints: number; settleMs: number; maxSeconds: number };
  team: { concurrency: number; runsPerConnection: number; maxSeconds: number };
  formats: { runs: number; maxSeconds: number; rounds: number };
};

export const FULL_PLAN: BenchPlan = {
  repeats: 3,
  warmupRunsPerConnection: 20,
  single: { runs: 300, maxSeconds: 6 },
  concurrent50: { runsPerConnection: 8, maxSeconds: 10 },
  concurrent500: { runsPerConnection: 2, maxSeconds: 60 },
  short: { concurrency: 50, runsPerConnection: 40, maxSeconds: 10 },
  paced: { streams: 300, deltas: 150, delayMs: 20, maxSeconds: 60 },
  pacedScale: { streams: 1000, deltas: 150, delayMs: 20, maxSeconds: 60 },
  // 2,000 runs at 20 ms a token would be 100k events/s, past one core for every target (the sample would weigh
  // backlog, not runs): 200 ms apart is 10k events/s, and 100 deltas (20 s a run) keep every run streaming while
  // all 2,000 open and memory is sampled.
  pacedMemory: { streams: 2000, deltas: 100, delayMs: 200, maxPendingOpens: 500, maxSeconds: 90 },
  idle: { streams: 10_000, deltas: 8, delayMs: 4000, maxPendingOpens: 500, maxSeconds: 120 },
  soak: { cycles: 10_000, concurrency: 50, deltas: 20, delayMs: 20, disconnectAfterEvents: 3, checkpoints: 10, settleMs: 600, maxSeconds: 120 },
  team: { concurrency: 10, runsPerConnection: 5, maxSeconds: 20 },
  formats: { runs: 60, maxSeconds: 3, rounds: 3 },
};

export const QUICK_PLAN: BenchPlan = {
  repeats: 1,
  warmupRunsPerConnection: 5,
  single: { runs: 60, maxSeconds: 2 },
  concurrent50: { runsPerConnection: 2, maxSeconds: 3 },
  concurrent500: { runsPerConnection: 1, maxSeconds: 30 },
  short: { concurrency: 50, runsPerConnection: 10, maxSeconds: 3 },
  paced: { streams: 100, deltas: 50, delayMs: 20, maxSeconds: 10 },
  pacedScale: { streams: 500, deltas: 50, delayMs: 20, maxSeconds: 20 },
  pacedMemory: { streams: 500, deltas: 50, delayMs: 200, maxPendingOpens: 500, maxSeconds: 30 },
  idle: { streams: 1000, deltas: 4, delayMs: 2000, maxPendingOpens: 500, maxSeconds: 20 },
  soak: { cycles: 1000, concurrency: 50, deltas: 20, delayMs: 20, disconnectAfterEvents: 3, checkpoints: 4, settleMs: 500, maxSeconds: 20 },
  team: { concurrency: 5, runsPerConnection: 2, maxSeconds: 10 },
  formats: { runs: 30, maxSeconds: 2, rounds: 1 },
};

/** The scenarios on a fresh server of their own (memory and scale), after the shared-server ones. */
export const FRESH_SERVER_SCENARIOS = ['pacedScale', 'pacedMemory', 'idle', 'soak'] as const;

/** The scenarios `--quick` runs unless `--scenarios` names others (500 concurrent runs alone take the peers ~25 s). */
export const QUICK_SCENARIOS = ['single', 'concurrent50', 'short', 'paced', 'bytes', 'pacedScale', 'pacedMemory', 'idle', 'soak'] as const;

/** Every scenario, in run order. */
export const SCENARIOS = ['single', 'concurrent50', 'concurrent500', 'short', 'paced', 'team', 'formats', 'bytes', 'pacedScale', 'pacedMemory', 'idle', 'soak'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The paced profiles (`deltas x ms`) a plan uses, with their zero-delay twins used to count events. */
export function pacedSpecs(plan: BenchPlan): string[] {
  const specs = [plan.paced, plan.pacedScale, plan.pacedMemory, plan.idle, plan.soak].flatMap((profile) => [`${profile.deltas}x${profile.delayMs}`, `${profile.deltas}x0`]);
  return [...new Set(specs)];
}
