import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isTerminal, type RunEvent } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import type { Store } from '../store/store.ts';

export type FollowOptions = {
  runId: string;
  /** Deliver events with `seq > afterSeq`; 0 for the whole run. */
  afterSeq: number;
  store: Store;
  bus: Bus;
  /** Called once per event, in seq order, with no gap and no duplicate. */
  onEvent: (event: RunEvent) => void;
  signal: AbortSignal;
};

export type FollowEnd = 'ended' | 'aborted';

// A stored backlog is delivered in slices so one long replay cannot starve every other stream.
const BACKLOG_SLICE = 256;

/**
 * Replays what is stored after `afterSeq`, then follows what is live, until the terminal event or the
 * signal. Subscribes before reading the store: events stored meanwhile arrive on both paths and `seq`
 * drops the duplicates; a gap on the live path (a lost message) is filled from the store.
 */
export function followRun(options: FollowOptions): Promise<FollowEnd> {
  const { runId, store, bus, onEvent, signal } = options;
  return new Promise<FollowEnd>((resolve, reject) => {
    let lastSeq = options.afterSeq;
    let buffering = true;
    let finished = false;
    let buffer: RunEvent[] = [];

    const settle = (then: () => void) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      then();
    };
    const finish = (how: FollowEnd) => settle(() => resolve(how));
    const fail = (error: unknown) => settle(() => reject(error));
    const deliver = (event: RunEvent): boolean => {
      if (event.seq <= lastSeq) return false;
      lastSeq = event.seq;
      onEvent(event);
      if (isTerminal(event)) {
        finish('ended');
        return true;
      }
      return false;
    };
    const catchUp = async (): Promise<void> => {
      buffering = true;
      const backlog = await store.readEvents(runId, { afterSeq: lastSeq });
      for (let index = 0; index < backlog.length; index += 1) {
        if (finished) return;
        if (deliver(backlog[index])) return;
        if (index % BACKLOG_SLICE === BACKLOG_SLICE - 1) await yieldToLoop();
      }
      while (buffer.length > 0 && !finished) {
        const queued = buffer;
        buffer = [];
        if (queued[0].seq > lastSeq + 1 && queued[0].seq > 0) {
          // Still a hole between what the store had and what arrived live: read the store again.
          buffer = queued;
          const more = await store.readEvents(runId, { afterSeq: lastSeq, limit: queued[0].seq - lastSeq - 1 });
          if (more.length === 0) break;
          for (const event of more) if (deliver(event)) return;
          continue;
        }
        for (const event of queued) if (deliver(event)) return;
      }
      buffering = false;
    };
    const onLive = (event: RunEvent) => {
      if (finished) return;
      if (buffering) {
        buffer.push(event);
        return;
      }
      if (event.seq > lastSeq + 1) {
        buffer.push(event);
        catchUp().catch(fail);
        return;
      }
      deliver(event);
    };
    const onAbort = () => finish('aborted');

    const unsubscribe = bus.subscribe(runId, onLive);
    if (signal.aborted) return finish('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    catchUp().catch(fail);
  });
}
