import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { ErrorTally } from './error-tally.ts';
import { fetchStats, postProfiler } from './fetch-stats.ts';
import type { SoakJob } from './jobs.ts';
import { streamRequest } from './stream-request.ts';

export type SoakSample = { cycles: number; rss: number; heapUsed: number };

export type SoakResult = {
  cycles: number;
  failed: number;
  errors: Record<string, number>;
  samples: SoakSample[];
  /** Growth from the first checkpoint (warmed up) to the last, in percent. */
  heapGrowthPercent: number;
  rssGrowthPercent: number;
  totalMs: number;
};

/**
 * Connect, start a run, read `disconnectAfterEvents` events, drop the connection; `concurrency` cycles at
 * a time. Every `cycles / checkpoints` cycles the load pauses, the runs left behind get `settleMs` to end,
 * and the server's memory is sampled after a full GC, so every sample sees the same quiet state.
 */
export async function runSoakScenario(job: SoakJob): Promise<SoakResult> {
  const errors = new ErrorTally();
  const samples: SoakSample[] = [];
  const startedAt = performance.now();
  const deadline = startedAt + job.maxSeconds * 1000;
  const chunk = Math.ceil(job.cycles / job.checkpoints);
  let done = 0;
  if (job.profileName) await postProfiler(job.host, job.port, 'start', job.profileName);

  const sample = async () => {
    await sleep(job.settleMs);
    const stats = await fetchStats(job.host, job.port, { collect: true });
    samples.push({ cycles: done, rss: stats.rss, heapUsed: stats.heapUsed });
  };

  while (done < job.cycles && performance.now() < deadline) {
    const target = Math.min(done + chunk, job.cycles);
    let next = done;
    const worker = async () => {
      while (next < target) {
        const cycle = next++;
        const outcome = await streamRequest({
          host: job.host,
          port: job.port,
          recipe: job.recipes[cycle % job.recipes.length],
          agent: false,
          disconnectAfterEvents: job.disconnectAfterEvents,
        });
        if (!outcome.ok) errors.add(outcome.error);
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, worker));
    done = target;
    await sample();
  }
  if (job.profileName) await postProfiler(job.host, job.port, 'stop', job.profileName);
  const first = samples[0];
  const last = samples.at(-1);
  const growth = (from: number | undefined, to: number | undefined) => (from && to ? ((to - from) / from) * 100 : Number.NaN);
  return {
    cycles: done,
    failed: errors.total,
    errors: errors.top(),
    samples,
    heapGrowthPercent: growth(first?.heapUsed, last?.heapUsed),
    rssGrowthPercent: growth(first?.rss, last?.rss),
    totalMs: performance.now() - startedAt,
  };
}
