import { useCallback, useEffect, useRef, useState } from 'react';
import { applyEvents } from '../apply-event.ts';
import { emptyRunView, type RunView } from '../run-view.ts';
import type { RunEvent } from '../../src/events/run-event.ts';

/** A run view fed event by event, folded once per animation frame so thousands of events never block a paint. */
export type RunFolder = {
  view: RunView;
  /** Every event received, in arrival order (the event table reads it; it only grows until `reset`). */
  events: RunEvent[];
  push: (event: RunEvent) => void;
  pushMany: (events: readonly RunEvent[]) => void;
  reset: (view?: RunView) => void;
};

/** Batches pushed events and folds them through `applyEvent` on the next frame. */
export function useRunFolder(): RunFolder {
  const [view, setView] = useState<RunView>(emptyRunView);
  const eventsRef = useRef<RunEvent[]>([]);
  const queueRef = useRef<RunEvent[]>([]);
  const scheduledRef = useRef<{ cancel: () => void } | undefined>(undefined);

  const flush = useCallback(() => {
    scheduledRef.current = undefined;
    const batch = queueRef.current;
    if (batch.length === 0) return;
    queueRef.current = [];
    for (const event of batch) eventsRef.current.push(event);
    setView((current) => applyEvents(current, batch));
  }, []);

  const schedule = useCallback(() => {
    if (scheduledRef.current) return;
    // Hidden tabs get no animation frames; a timer keeps the view current for when they come back.
    if (document.hidden) {
      const timer = window.setTimeout(flush, 100);
      scheduledRef.current = { cancel: () => window.clearTimeout(timer) };
    } else {
      const frame = window.requestAnimationFrame(flush);
      scheduledRef.current = { cancel: () => window.cancelAnimationFrame(frame) };
    }
  }, [flush]);

  const push = useCallback((event: RunEvent) => {
    queueRef.current.push(event);
    schedule();
  }, [schedule]);

  const pushMany = useCallback((events: readonly RunEvent[]) => {
    for (const event of events) queueRef.current.push(event);
    schedule();
  }, [schedule]);

  const reset = useCallback((next?: RunView) => {
    scheduledRef.current?.cancel();
    scheduledRef.current = undefined;
    queueRef.current = [];
    eventsRef.current = [];
    setView(next ?? emptyRunView());
  }, []);

  useEffect(() => () => scheduledRef.current?.cancel(), []);
  return { view, events: eventsRef.current, push, pushMany, reset };
}
