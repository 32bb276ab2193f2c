import type { RunEvent } from '../../events/run-event.ts';
import type { Bus, ControlMessage, EventListener } from '../bus.ts';

/** The in-process bus, plus a read-only count for leak checks. */
export type InProcessBus = Bus & {
  /** How many run-event listeners are subscribed, over every run: 0 once every follower has ended. */
  listenerCount(): number;
};

/** The embedded bus: a map from run id to listeners, delivering in the publisher's own tick. */
export function createInProcessBus(): InProcessBus {
  const listeners = new Map<string, Set<EventListener>>();
  const controlListeners = new Set<(message: ControlMessage) => void>();

  return {
    kind: 'in-process',
    publish(runId: string, events: readonly RunEvent[]) {
      const set = listeners.get(runId);
      if (!set) return;
      for (const event of events) {
        for (const listener of set) listener(event);
      }
    },
    subscribe(runId: string, listener: EventListener) {
      let set = listeners.get(runId);
      if (!set) {
        set = new Set();
        listeners.set(runId, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(runId);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) listeners.delete(runId);
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
      for (const set of listeners.values()) count += set.size;
      return count;
    },
    async close() {
      listeners.clear();
      controlListeners.clear();
    },
  };
}
