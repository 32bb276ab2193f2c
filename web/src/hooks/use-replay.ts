import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { applyEvents } from '../../../client/apply-event.ts';
import { emptyRunView, type RunView } from '../../../client/run-view.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';

/** Replay speed as a multiple of the recorded pace, or everything at once. */
export type ReplaySpeed = 1 | 4 | 16 | 'instant';

/** A recorded run being played back, and the controls of the playback. */
export type Replay = {
  view: RunView;
  /** How many of the run's events have been applied. */
  position: number;
  total: number;
  isPlaying: boolean;
  speed: ReplaySpeed;
  /** Milliseconds of recorded time shown so far and in all. */
  elapsedMs: number;
  totalMs: number;
  play: () => void;
  pause: () => void;
  setSpeed: (speed: ReplaySpeed) => void;
  seek: (position: number) => void;
  jumpToEnd: () => void;
  restart: () => void;
};

/**
 * Plays a recorded run back through `applyEvent`, keeping the gaps between the events' `ts` (scaled by
 * the speed), one fold per animation frame.
 */
export function useReplay(events: readonly RunEvent[], options: { autoplay?: boolean; initialSpeed?: ReplaySpeed } = {}): Replay {
  const [position, setPosition] = useState(0);
  const [isPlaying, setIsPlaying] = useState(options.autoplay ?? false);
  const [speed, setSpeedState] = useState<ReplaySpeed>(options.initialSpeed ?? 4);
  const offsets = useMemo(() => {
    const origin = events.length ? Date.parse(events[0].ts) : 0;
    return events.map((event) => Date.parse(event.ts) - origin);
  }, [events]);
  const positionRef = useRef(0);
  const clockRef = useRef(0);
  positionRef.current = position;

  const seek = useCallback((next: number) => {
    const clamped = Math.max(0, Math.min(events.length, next));
    clockRef.current = clamped === 0 ? 0 : offsets[clamped - 1];
    setPosition(clamped);
  }, [events.length, offsets]);

  useEffect(() => {
    if (!isPlaying) return;
    if (speed === 'instant') {
      seek(events.length);
      setIsPlaying(false);
      return;
    }
    let last = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      clockRef.current += (now - last) * speed;
      last = now;
      let next = positionRef.current;
      while (next < events.length && offsets[next] <= clockRef.current) next += 1;
      if (next !== positionRef.current) {
        positionRef.current = next;
        setPosition(next);
      }
      if (next >= events.length) setIsPlaying(false);
      else frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [isPlaying, speed, events.length, offsets, seek]);

  const cache = useRef<{ events: readonly RunEvent[]; position: number; view: RunView }>({ events, position: 0, view: emptyRunView() });
  const view = useMemo(() => {
    const entry = cache.current;
    // Forward steps fold only the new events; a step back folds again from the start.
    if (entry.events !== events || position < entry.position) cache.current = { events, position, view: applyEvents(emptyRunView(), events.slice(0, position)) };
    else if (position > entry.position) cache.current = { events, position, view: applyEvents(entry.view, events.slice(entry.position, position)) };
    return cache.current.view;
  }, [events, position]);

  return {
    view, position, total: events.length, isPlaying, speed,
    elapsedMs: position === 0 ? 0 : offsets[position - 1], totalMs: offsets.at(-1) ?? 0,
    play: () => {
      if (positionRef.current >= events.length) seek(0);
      setIsPlaying(true);
    },
    pause: () => setIsPlaying(false),
    setSpeed: setSpeedState,
    seek,
    jumpToEnd: () => {
      setIsPlaying(false);
      seek(events.length);
    },
    restart: () => {
      seek(0);
      setIsPlaying(true);
    },
  };
}
