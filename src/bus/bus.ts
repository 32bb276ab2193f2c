import type { RunEvent } from '../events/run-event.ts';

/** A message that steers a run from any instance (cancel travels this way). */
export type ControlMessage = { type: 'cancel'; runId: string; reason: string; /** See `CancelReason.keepTurns`. */ keepTurns?: boolean };

export type EventListener = (event: RunEvent) => void;

/**
 * Live fan-out of stored events. Implementations: in-process (embedded), Redis (several instances).
 * Events are published only after they are stored; a subscriber that also reads the store never misses one.
 */
export interface Bus {
  readonly kind: string;
  publish(runId: string, events: readonly RunEvent[]): void;
  /** Returns an unsubscribe function. Listeners are called in publish order. */
  subscribe(runId: string, listener: EventListener): () => void;
  /**
   * Resolves once the subscriptions to `runId` made so far receive every later publish, from any instance
   * (Redis: the SUBSCRIBE is acknowledged). A follower waits for it before reading the store, so nothing falls between.
   */
  whenSubscribed(runId: string): Promise<void>;
  publishControl(message: ControlMessage): void;
  onControl(listener: (message: ControlMessage) => void): () => void;
  close(): Promise<void>;
}
