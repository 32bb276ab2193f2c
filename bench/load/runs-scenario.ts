import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ErrorTally } from './error-tally.ts';
import { fetchStats, postProfiler } from './fetch-stats.ts';
import type { RunsJob } from './jobs.ts';
import { distributionOf, NumberLog, type Distribution } from './quantiles.ts';
import { streamRequest } from './stream-request.ts';

export type RunsResult = {
  runs: number;
  failed: number;
  errors: Record<string, number>;
  events: number;
  bytes: number;
  windowMs: number;
  serverCpuMicros: number;
  cpuPerEventMicros: number;
  cpuPerRunMicros: number;
  runsPerSecond: number;
  eventsPerSecond: number;
  /** Request sent -> first event frame, ms. */
  firstEvent: Distribution;
  /** Gaps between consecutive chunks of events within one stream, ms (only with `recordGaps`). */
  gaps?: Distribution;
  serverRssBytes: number;
};

/**
 * Runs on `concurrency` keep-alive connections, `runsPerConnection` each, back to back; no new run starts
 * after `maxSeconds`. Server CPU is the difference of its own `cpuUsage()` around the window.
 */
export async function runRunsScenario(job: RunsJob): Promise<RunsResult> {
  const errors = new ErrorTally();
  const firstEvents = new NumberLog();
  const gaps = new NumberLog();
  let runs = 0;
  let events = 0;
  let bytes = 0;
  let requestIndex = 0;
  if (job.profileName) await postProfiler(job.host, job.port, 'start', job.profileName);
  const before = await fetchStats(job.host, job.port, { collect: false });
  const startedAt = performance.now();
  const deadline = startedAt + job.maxSeconds * 1000;

  const worker = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let index = 0; index < job.runsPerConnection && performance.now() < deadline; index += 1) {
      let lastAt = Number.NaN;
      const onEvents = job.recordGaps ? (_count: number, atMs: number) => {
        if (!Number.isNaN(lastAt)) gaps.push(atMs - lastAt);
        lastAt = atMs;
      } : undefined;
      const recipe = job.recipes[requestIndex++ % job.recipes.length];
      const outcome = await streamRequest({ host: job.host, port: job.port, recipe, agent, onEvents, expectEvents: job.expectEvents });
      runs += 1;
      events += outcome.events;
      bytes += outcome.bytes;
      if (!Number.isNaN(outcome.firstEventMs)) firstEvents.push(outcome.firstEventMs);
      if (!outcome.ok) errors.add(outcome.error);
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const windowMs = performance.now() - startedAt;
  const after = await fetchStats(job.host, job.port, { collect: false });
  if (job.profileName) await postProfiler(job.host, job.port, 'stop', job.profileName);
  const serverCpuMicros = after.cpuMicros - before.cpuMicros;
  return {
    runs,
    failed: errors.total,
    errors: errors.top(),
    events,
    bytes,
    windowMs,
    serverCpuMicros,
    cpuPerEventMicros: serverCpuMicros / Math.max(events, 1),
    cpuPerRunMicros: serverCpuMicros / Math.max(runs, 1),
    runsPerSecond: (runs - errors.total) / (windowMs / 1000),
    eventsPerSecond: events / (windowMs / 1000),
    firstEvent: distributionOf(firstEvents.toArray()),
    gaps: job.recordGaps ? distributionOf(gaps.toArray()) : undefined,
    serverRssBytes: after.rss,
  };
}
