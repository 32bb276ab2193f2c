import type { RunEvent } from '../../events/run-event.ts';
import type { Bus, ControlMessage, EventListener } from '../bus.ts';

/** The in-process bus, plus a read-only count for leak checks. */
export type InProcessBus = Bus & {
  /** How many run-event listeners are subscribed, over every run: 0 once every follower has ended. */
  listenerCount(): number;
};

/**
 * The embedded bus: a map from run id to listeners, delivering in the publisher's own tick. A run's one
 * listener (the usual case: one stream per run) is held alone, without a Set around it.
 */
export function createInProcessBus(): InProcessBus {
  const listeners = new Map<string, EventListener | Set<EventListener>>();
  const controlListeners = new Set<(message: ControlMessage) => void>();

  return {
    kind: 'in-process',
    publish(runId: string, events: readonly RunEvent[]) {
      const subscribed = listeners.get(runId);
      if (!subscribed) return;
      if (typeof subscribed === 'function') {
        for (const event of events) subscribed(event);
        return;
      }
      for (const event of events) {
        for (const listener of subscribed) listener(event);
      }
    },
    subscribe(runId: string, listener: EventListener) {
      const subscribed = listeners.get(runId);
      if (!subscribed) listeners.set(runId, listener);
      else if (typeof subscribed === 'function') listeners.set(runId, new Set([subscribed, listener]));
      else subscribed.add(listener);
      return () => {
        const current = listeners.get(runId);
        if (current === listener) listeners.delete(runId);
        else if (current && typeof current !== 'function') {
          current.delete(listener);
          if (current.size === 0) listeners.delete(runId);
        }
      };
    },
    whenSubscribed() {
      return Promise.resolve();
    },
    publishControl(message: ControlMessage) {
      for (const listener of controlListeners) listener(message);
    },
    onControl(listener) {
      controlListeners.add(listener);
      return () => controlListeners.delete(listener);
    },
    listenerCount() {
      let count = 0;
      for (const subscribed of listeners.values()) count += typeof subscribed === 'function' ? 1 : subscribed.size;
      return count;
    },
    async close() {
      listeners.clear();
      controlListeners.clear();
    },
  };
}
