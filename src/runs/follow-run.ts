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
  /**
   * When nothing arrived for this long (ms), re-read the store: a lost bus message (Redis pub/sub is at most
   * once) or a publisher that died after storing cannot leave the follower waiting forever. 0 or unset: off.
   */
  resyncMs?: number;
  /**
   * Backpressure for the stored backlog: a promise while the reader is still taking earlier events, undefined
   * when it keeps up. A replay waits on it between events, so a long run replays at the reader's pace instead
   * of piling up in memory (and tripping the SSE writer's cap on a reader that is reading). Live events never wait.
   */
  readerBusy?: () => Promise<void> | undefined;
};

export type FollowEnd = 'ended' | 'aborted';

// A stored backlog is delivered in slices so one long replay cannot starve every other stream.
const BACKLOG_SLICE = 256;

/**
 * Replays what is stored after `afterSeq`, then follows what is live, until the terminal event or the
 * signal. Subscribes before reading the store: events stored meanwhile arrive on both paths and `seq`
 * drops the duplicates; a gap on the live path (a lost message) is filled from the store, and so is a
 * silence of `resyncMs` (the lost message may have been the last).
 */
export function followRun(options: FollowOptions): Promise<FollowEnd> {
  const { runId, store, bus, onEvent, signal } = options;
  return new Promise<FollowEnd>((resolve, reject) => {
    let lastSeq = options.afterSeq;
    let buffering = true;
    let finished = false;
    let buffer: RunEvent[] = [];
    let heardSinceCheck = false;
    const resync = options.resyncMs ? setInterval(() => {
      if (finished || buffering) return;
      if (heardSinceCheck) {
        heardSinceCheck = false;
        return;
      }
      catchUp().catch(fail);
    }, options.resyncMs) : undefined;
    resync?.unref();

    const settle = (then: () => void) => {
      if (finished) return;
      finished = true;
      clearInterval(resync);
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
        const busy = options.readerBusy?.();
        if (busy) await busy;
        else if (index % BACKLOG_SLICE === BACKLOG_SLICE - 1) await yieldToLoop();
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
      heardSinceCheck = true;
      if (buffering) {
        buffer.push(event);
        return;
      }
      if (event.seq > lastSeq + 1) {
        buffer.push(event);
        catchUp().catch(fail);
        return;
      }
      try {
        deliver(event);
      } catch (error) {
        // This follower's consumer broke (a renderer bug): end this follower alone. Thrown on, it would reach
        // the run's emitter, which publishes from its store chain, and stall the run for every follower.
        fail(error);
      }
    };
    const onAbort = () => finish('aborted');

    const unsubscribe = bus.subscribe(runId, onLive);
    if (signal.aborted) return finish('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    // Read the store only once the bus delivers: an event published in between would otherwise fall through.
    bus.whenSubscribed(runId).then(catchUp).catch(fail);
  });
}
