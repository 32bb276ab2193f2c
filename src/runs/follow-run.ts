import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isTerminal, type RunEvent } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import type { Store } from '../store/store.ts';

/**
 * What ends a follow early: an `AbortSignal`, or anything that announces its end the same way. An open SSE
 * writer is one, so a stream needs no AbortController of its own (memory that 10k open streams multiply).
 */
export type StopSignal = {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
};

export type FollowOptions = {
  runId: string;
  /** Deliver events with `seq > afterSeq`; 0 for the whole run. */
  afterSeq: number;
  store: Store;
  bus: Bus;
  /** Called once per event, in seq order, with no gap and no duplicate. */
  onEvent: (event: RunEvent) => void;
  signal: StopSignal;
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
  /** Where following ends besides the terminal event (e.g. at a pause for input): the follower settles 'ended' after it. */
  stopAt?: (event: RunEvent) => boolean;
};

export type FollowEnd = 'ended' | 'aborted';

/** Events per store read of a replay or catch-up: what one reader holds at most, whatever the run's length. */
export const REPLAY_PAGE = 256;
/** Live events kept while a catch-up pages the store; past it they are dropped and read from the store instead. */
const LIVE_BUFFER_LIMIT = 1024;

/**
 * Replays what is stored after `afterSeq`, then follows what is live, until the terminal event or the
 * signal. Subscribes before reading the store: events stored meanwhile arrive on both paths and `seq`
 * drops the duplicates; a gap on the live path (a lost message) is filled from the store, and so is a
 * silence of `resyncMs` (the lost message may have been the last).
 */
export function followRun(options: FollowOptions): Promise<FollowEnd> {
  return new Promise<FollowEnd>((resolve, reject) => new Follower(options, resolve, reject).start());
}

// One timer per resync period for every follower: 10k open streams must not mean 10k intervals.
const resyncGroups = new Map<number, { followers: Set<Follower>; timer: NodeJS.Timeout }>();

function watchSilence(follower: Follower, everyMs: number): void {
  let group = resyncGroups.get(everyMs);
  if (!group) {
    const followers = new Set<Follower>();
    const timer = setInterval(() => {
      for (const each of followers) each.checkSilence();
    }, everyMs);
    timer.unref();
    group = { followers, timer };
    resyncGroups.set(everyMs, group);
  }
  group.followers.add(follower);
}

function unwatchSilence(follower: Follower, everyMs: number): void {
  const group = resyncGroups.get(everyMs);
  if (!group) return;
  group.followers.delete(follower);
  if (group.followers.size === 0) {
    clearInterval(group.timer);
    resyncGroups.delete(everyMs);
  }
}

/**
 * One follower's state. A class, not closures: thousands of streams each hold one for their whole life,
 * and a closure per handler would be a heap object per handler per stream.
 */
class Follower {
  readonly #options: FollowOptions;
  readonly #resolve: (how: FollowEnd) => void;
  readonly #reject: (error: unknown) => void;
  #lastSeq: number;
  #buffering = true;
  #finished = false;
  #buffer: RunEvent[] = [];
  // Set when a live event was dropped because the buffer was full: the catch-up must read the store again.
  #missedLive = false;
  // Starts true: a follower only just subscribed has not been silent for a whole period yet.
  #heardSinceCheck = true;
  #unsubscribe: (() => void) | undefined;
  readonly #onLive = (event: RunEvent) => this.#live(event);
  readonly #onAbort = () => this.#settle('aborted');

  constructor(options: FollowOptions, resolve: (how: FollowEnd) => void, reject: (error: unknown) => void) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#lastSeq = options.afterSeq;
  }

  start(): void {
    const { runId, bus, signal } = this.#options;
    this.#unsubscribe = bus.subscribe(runId, this.#onLive);
    if (signal.aborted) return this.#settle('aborted');
    signal.addEventListener('abort', this.#onAbort, { once: true });
    if (this.#options.resyncMs) watchSilence(this, this.#options.resyncMs);
    // Read the store only once the bus delivers: an event published in between would otherwise fall through.
    bus.whenSubscribed(runId).then(() => this.#catchUp()).catch((error: unknown) => this.#fail(error));
  }

  /** Called by the shared resync timer: re-reads the store when nothing arrived for a whole period. */
  checkSilence(): void {
    if (this.#finished || this.#buffering) return;
    if (this.#heardSinceCheck) {
      this.#heardSinceCheck = false;
      return;
    }
    this.#catchUp().catch((error: unknown) => this.#fail(error));
  }

  #settle(how: FollowEnd, error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#options.resyncMs) unwatchSilence(this, this.#options.resyncMs);
    this.#unsubscribe?.();
    this.#options.signal.removeEventListener('abort', this.#onAbort);
    if (error === undefined) this.#resolve(how);
    else this.#reject(error);
  }

  #fail(error: unknown): void {
    this.#settle('aborted', error ?? new Error('follow failed'));
  }

  #deliver(event: RunEvent): boolean {
    if (event.seq <= this.#lastSeq) return false;
    this.#lastSeq = event.seq;
    this.#options.onEvent(event);
    if (isTerminal(event) || this.#options.stopAt?.(event)) {
      this.#settle('ended');
      return true;
    }
    return false;
  }

  async #catchUp(): Promise<void> {
    this.#buffering = true;
    for (;;) {
      this.#missedLive = false;
      const before = this.#lastSeq;
      await this.#replayStored();
      if (this.#finished) return;
      // Live events dropped while the buffer was full are stored (events are published only once stored): page on.
      if (this.#missedLive) continue;
      const rest = this.#drainBuffer();
      if (rest === 'ended') return;
      if (rest === 'none') break;
      // Still a hole between what the store had and what arrived live: read the store again, unless this read found
      // nothing new either (then the rest stays buffered for the next catch-up).
      if (this.#lastSeq === before) break;
    }
    this.#buffering = false;
  }

  /** Delivers the buffered live events up to the first hole. Synchronous, so nothing arrives meanwhile. */
  #drainBuffer(): 'none' | 'hole' | 'ended' {
    const queued = this.#buffer;
    this.#buffer = [];
    for (let index = 0; index < queued.length; index += 1) {
      if (queued[index].seq > this.#lastSeq + 1 && queued[index].seq > 0) {
        this.#buffer = queued.slice(index);
        return 'hole';
      }
      if (this.#deliver(queued[index])) return 'ended';
    }
    return 'none';
  }

  /**
   * Delivers what is stored after the last delivered seq, one page of `REPLAY_PAGE` events at a time, reading the
   * next page only once the reader took the last one (`readerBusy`): a reader holds one page, whatever the run's size.
   */
  async #replayStored(): Promise<void> {
    const { runId, store, readerBusy } = this.#options;
    for (;;) {
      const page = await store.readEvents(runId, { afterSeq: this.#lastSeq, limit: REPLAY_PAGE });
      for (let index = 0; index < page.length; index += 1) {
        if (this.#finished) return;
        if (this.#deliver(page[index])) return;
        const busy = readerBusy?.();
        if (busy) await busy;
      }
      if (page.length < REPLAY_PAGE || this.#finished) return;
      // One page per turn at most, so one long replay cannot starve every other stream.
      await yieldToLoop();
    }
  }

  #live(event: RunEvent): void {
    if (this.#finished) return;
    this.#heardSinceCheck = true;
    if (this.#buffering) {
      // A slow reader of a busy run must not pile live events up in memory while it replays: every live event
      // is already stored, so past the limit the catch-up reads them from the store at the reader's pace.
      if (this.#buffer.length < LIVE_BUFFER_LIMIT) this.#buffer.push(event);
      else this.#missedLive = true;
      return;
    }
    if (event.seq > this.#lastSeq + 1) {
      this.#buffer.push(event);
      this.#catchUp().catch((error: unknown) => this.#fail(error));
      return;
    }
    try {
      this.#deliver(event);
    } catch (error) {
      // This follower's consumer broke (a renderer bug): end this follower alone. Thrown on, it would reach
      // the run's emitter, which publishes from its store chain, and stall the run for every follower.
      this.#fail(error);
    }
  }
}
