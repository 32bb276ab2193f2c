import type { HoldResult } from '../load/hold-scenario.ts';
import type { RunsResult } from '../load/runs-scenario.ts';
import type { SoakResult } from '../load/soak-scenario.ts';
import type { BytesReport } from './measure-bytes.ts';
import type { TargetName } from './targets.ts';

/** A repeated runs scenario: the median repetition (by CPU per event) and every repetition's CPU per event. */
export type RepeatedRuns = RunsResult & { cpuPerEventSamples: number[] };

/** One wire format's single-connection run next to the native run it streams. */
export type FormatResult = { name: string; label: string; available: boolean; note?: string; result?: RunsResult; baseline?: RunsResult; cpuPerRunRatio?: number };

/** Everything measured for one target; a scenario that could not run has an entry in `errors` instead. */
export type TargetResults = {
  target: TargetName;
  label: string;
  eventsPerRun?: number;
  single?: RepeatedRuns;
  concurrent50?: RepeatedRuns;
  concurrent500?: RunsResult;
  short?: RepeatedRuns;
  paced?: RunsResult & { deltas: number; delayMs: number; streams: number };
  team?: RunsResult;
  formats?: FormatResult[];
  /** agentstream only: one run of every wire format, weighed. */
  bytes?: BytesReport;
  pacedScale?: RunsResult & { deltas: number; delayMs: number; streams: number };
  pacedMemory?: HoldResult & { deltas: number; delayMs: number };
  idle?: HoldResult & { deltas: number; delayMs: number };
  soak?: SoakResult;
  errors: Record<string, string>;
};

/** One `npm run bench`: where and when it ran, and each target's results. */
export type BenchResults = {
  startedAt: string;
  mode: 'full' | 'quick';
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; pinned: boolean };
  targets: TargetResults[];
};
