import type { RunEvent } from '../../../../events/run-event.ts';
import type { RunManager } from '../../../../runs/run-manager.ts';

/**
 * Every event of a run, from the first to the terminal one, with each run of consecutive text (or reasoning) deltas of
 * one message merged into its first delta. JSON (non-streaming) seed routes build their answer from these same events,
 * so a JSON answer and the stream of the same run cannot drift apart; the merge keeps what the answer holds in memory
 * to the size of its text, not one object per token (a 200,000-delta run was 200,000 objects).
 */
export async function collectRunEvents(runs: RunManager, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  // Nothing aborts this follow: it ends at the terminal event, which every run reaches (time limits included).
  await runs.follow(runId, 0, (event) => {
    const last = events.at(-1);
    if (last && continuesDelta(last, event)) {
      events[events.length - 1] = { ...last, delta: (last as DeltaEvent).delta + event.delta } as RunEvent;
      return;
    }
    events.push(event);
  }, new AbortController().signal);
  return events;
}

type DeltaEvent = Extract<RunEvent, { type: 'message.delta' | 'reasoning.delta' }>;

function continuesDelta(last: RunEvent, event: RunEvent): event is DeltaEvent {
  if (event.type === 'message.delta') return last.type === 'message.delta' && last.messageId === event.messageId && samePath(last, event);
  if (event.type === 'reasoning.delta') return last.type === 'reasoning.delta' && last.reasoningId === event.reasoningId && samePath(last, event);
  return false;
}

function samePath(a: RunEvent, b: RunEvent): boolean {
  return a.agent.id === b.agent.id && a.agent.path.join('\u0000') === b.agent.path.join('\u0000');
}
