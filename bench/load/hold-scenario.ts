import { performance } from 'node:perf_hooks';
import type { ServerStats } from '../servers/bench-stats.ts';
import { ErrorTally } from './error-tally.ts';
import { fetchStats, postProfiler } from './fetch-stats.ts';
import type { HoldJob } from './jobs.ts';
import { distributionOf, NumberLog, type Distribution } from './quantiles.ts';
import { streamRequest } from './stream-request.ts';

export type HoldResult = {
  streams: number;
  opened: number;
  completed: number;
  failed: number;
  errors: Record<string, number>;
  /** ms from the first request to the last stream's first event. */
  openAllMs: number;
  firstEvent: Distribution;
  /** Streams open (first event seen, not ended) when memory was sampled. */
  openAtSample: number;
  baseline: ServerStats;
  plateau: ServerStats;
  rssPerStreamKB: number;
  heapPerStreamKB: number;
  totalMs: number;
};

/**
 * Opens `streams` streams, each on its own connection, at most `maxPendingOpens` waiting for their first
 * event at a time (a burst of thousands would only fill the listen backlog). Once every stream has had its
 * first event (or, on a server too slow for that, when the first run ends), samples the server's memory
 * after a full GC; then waits for every run to complete.
 */
export async function runHoldScenario(job: HoldJob): Promise<HoldResult> {
  const errors = new ErrorTally();
  const firstEvents = new NumberLog();
  const baseline = await fetchStats(job.host, job.port, { collect: true });
  if (job.profileName) await postProfiler(job.host, job.port, 'start', job.profileName);
  const startedAt = performance.now();
  let opened = 0;
  let ended = 0;
  let completed = 0;
  let pending = 0;
  let launched = 0;
  let failedBeforeOpen = 0;
  let plateau: ServerStats | undefined;
  let openAtSample = 0;
  let openAllMs = Number.NaN;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const launch = (index: number) => {
    pending += 1;
    let sawFirst = false;
    const done = streamRequest({
      host: job.host,
      port: job.port,
      recipe: job.recipes[index % job.recipes.length],
      agent: false,
      expectEvents: job.expectEvents,
      onEvents: () => {
        if (sawFirst) return;
        sawFirst = true;
        opened += 1;
        pending -= 1;
        notify();
      },
    });
    void done.then((outcome) => {
      if (!sawFirst) {
        pending -= 1;
        failedBeforeOpen += 1;
      }
      ended += 1;
      if (outcome.ok) completed += 1;
      else errors.add(outcome.error);
      if (!Number.isNaN(outcome.firstEventMs)) firstEvents.push(outcome.firstEventMs);
      notify();
    });
  };

  const deadline = startedAt + job.maxSeconds * 1000;
  while (ended < job.streams && performance.now() < deadline) {
    while (launched < job.streams && pending < job.maxPendingOpens) launch(launched++);
    // Sample at the peak: every stream open, or the first run ended (a slow server never has them all open at once).
    const isPeak = (launched === job.streams && opened + failedBeforeOpen >= job.streams) || completed > 0;
    if (plateau === undefined && isPeak) {
      openAllMs = performance.now() - startedAt;
      openAtSample = opened - completed;
      plateau = await fetchStats(job.host, job.port, { collect: true });
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 250).unref();
    });
  }
  if (ended < job.streams) for (let index = ended; index < job.streams; index += 1) errors.add(`still open after ${job.maxSeconds} s`);
  const sample = plateau ?? await fetchStats(job.host, job.port, { collect: true });
  if (job.profileName) await postProfiler(job.host, job.port, 'stop', job.profileName);
  const perStream = (bytes: number) => bytes / Math.max(openAtSample, 1) / 1024;
  return {
    streams: job.streams,
    opened,
    completed,
    failed: job.streams - completed,
    errors: errors.top(),
    openAllMs,
    firstEvent: distributionOf(firstEvents.toArray()),
    openAtSample,
    baseline,
    plateau: sample,
    rssPerStreamKB: perStream(sample.rss - baseline.rss),
    heapPerStreamKB: perStream(sample.heapUsed - baseline.heapUsed),
    totalMs: performance.now() - startedAt,
  };
}
