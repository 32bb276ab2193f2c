import type { RunEvent } from '../events/run-event.ts';
import type { Bus } from './bus.ts';

/** A consumer of the event spine on the instance that executes the runs: metrics, traces, the event log. */
export type RunObserver = (event: RunEvent) => void;

/** Runs whose end this instance saw, remembered so a late republish (a store retry) is not observed twice. */
const REMEMBERED_ENDS = 10_000;

/**
 * Wraps a bus so that every event this instance publishes, which is every event of the runs it executes, once
 * stored, passes through `observers` exactly once, in seq order. The run emitter is the only publisher, so
 * observing here sees the whole spine without touching the run loop; events from other instances arrive
 * through `subscribe` and are theirs to observe.
 */
export function observeBus(bus: Bus, observers: readonly RunObserver[]): Bus {
  if (observers.length === 0) return bus;
  const lastSeq = new Map<string, number>();
  const ended = new Set<string>();
  const observe = (event: RunEvent) => {
    for (const observer of observers) {
      try {
        observer(event);
      } catch {
        // An observer is never allowed to break the run it watches.
      }
    }
  };
  return {
    get kind() {
      return bus.kind;
    },
    publish(channel, events) {
      // Keyed by the events' run, not the channel: a run's `run.started` also announced on its session's channel is observed once.
      const runId = events[0]?.runId ?? channel;
      if (!ended.has(runId)) {
        let seen = lastSeq.get(runId) ?? 0;
        for (const event of events) {
          if (event.seq <= seen) continue;
          seen = event.seq;
          observe(event);
          if (event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled') {
            lastSeq.delete(runId);
            ended.add(runId);
            if (ended.size > REMEMBERED_ENDS) ended.delete(ended.values().next().value!);
            break;
          }
        }
        if (!ended.has(runId)) lastSeq.set(runId, seen);
      }
      bus.publish(channel, events);
    },
    subscribe: (runId, listener) => bus.subscribe(runId, listener),
    whenSubscribed: (runId) => bus.whenSubscribed(runId),
    publishControl: (message) => bus.publishControl(message),
    onControl: (listener) => bus.onControl(listener),
    close: () => bus.close(),
  };
}
