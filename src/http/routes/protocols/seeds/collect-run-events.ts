import type { RunEvent } from '../../../../events/run-event.ts';
import type { RunManager } from '../../../../runs/run-manager.ts';

/**
 * Every event of a run, from the first to the terminal one. JSON (non-streaming) seed routes build their
 * answer from these same events, so a JSON answer and the stream of the same run cannot drift apart.
 */
export async function collectRunEvents(runs: RunManager, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  // Nothing aborts this follow: it ends at the terminal event, which every run reaches (time limits included).
  await runs.follow(runId, 0, (event) => events.push(event), new AbortController().signal);
  return events;
}
