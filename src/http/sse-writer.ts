import type { ServerResponse } from 'node:http';
import { SSE_HEARTBEAT } from '../protocols/sse.ts';

export type SseWriterOptions = {
  headers: Record<string, string | number | string[]>;
  heartbeatMs: number;
  /** A client that stops reading is dropped past this many queued bytes; it can resume with Last-Event-ID. */
  maxBufferedBytes?: number;
  /**
   * A client whose socket stays full (it takes nothing) this long (ms) is disconnected; it can resume with
   * Last-Event-ID. Without it a paused reader holds its socket, its buffers and its replay forever. Default 60 000.
   */
  stalledReaderMs?: number;
};

/** Default of `SseWriterOptions.stalledReaderMs`. */
export const DEFAULT_STALLED_READER_MS = 60_000;

const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;
// Past this much coalesced in one turn, a replay waits for the write instead of queueing more (see whenDrained).
const COALESCE_LIMIT = 64 * 1024;

// One timer for every open stream: 10k streams must not mean 10k intervals.
const openWriters = new Set<{ heartbeat(): void }>();
let heartbeatTimer: NodeJS.Timeout | undefined;
let heartbeatEvery = 0;

/** How many SSE responses are open right now, for leak checks: 0 once every stream has ended or dropped. */
export function openSseWriterCount(): number {
  return openWriters.size;
}

function register(writer: { heartbeat(): void }, everyMs: number) {
  openWriters.add(writer);
  if (heartbeatTimer && heartbeatEvery <= everyMs) return;
  if (heartbeatTimer) clearInterval(heartbeatTimer);
  heartbeatEvery = everyMs;
  heartbeatTimer = setInterval(() => {
    for (const open of openWriters) open.heartbeat();
  }, everyMs);
  heartbeatTimer.unref();
}

function unregister(writer: { heartbeat(): void }) {
  openWriters.delete(writer);
  if (openWriters.size === 0 && heartbeatTimer) {
    clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
  }
}

function unwatchStall(writer: SseWriter): void {
  stalledWriters.delete(writer);
  if (stalledWriters.size === 0 && stallTimer) {
    clearInterval(stallTimer);
    stallTimer = undefined;
  }
}

// Writers whose socket is full, checked by one timer: a stall is rare, so the timer runs only while one exists.
const stalledWriters = new Set<SseWriter>();
let stallTimer: NodeJS.Timeout | undefined;
let stallCheckEvery = 0;

function watchStall(writer: SseWriter, stalledReaderMs: number): void {
  stalledWriters.add(writer);
  // A quarter of the limit: a stalled reader is dropped between 1x and 1.25x the limit.
  const everyMs = Math.max(10, Math.floor(stalledReaderMs / 4));
  if (stallTimer && stallCheckEvery <= everyMs) return;
  if (stallTimer) clearInterval(stallTimer);
  stallCheckEvery = everyMs;
  stallTimer = setInterval(() => {
    const now = Date.now();
    for (const stalled of stalledWriters) stalled.checkStall(now);
  }, everyMs);
  stallTimer.unref();
}

/**
 * Opens an SSE response on a raw Node response: the headers at once, then coalesced writes that respect
 * backpressure, heartbeats while idle, and an abort signal when the client disconnects.
 */
export function openSseWriter(res: ServerResponse, options: SseWriterOptions): SseWriter {
  return new SseWriter(res, options);
}

// A module function with the writer as its argument: no closure per stream for its end-of-turn flush.
function flushWriter(writer: SseWriter): void {
  writer.flushQueued();
}

/**
 * One open SSE response. A class rather than closures: 10k open streams each hold one, and a closure per
 * method and handler would be ten heap objects per stream.
 */
export class SseWriter {
  readonly #res: ServerResponse;
  #goneListeners: (() => void)[] | undefined;
  readonly #maxBuffered: number;
  readonly #stalledReaderMs: number;
  // When the socket last filled up (ms since epoch) while it still is; 0 while it takes what is written.
  #stalledSince = 0;
  // Bytes waiting in the response (and its socket) when last checked: fewer means the client took some.
  #pendingAtStall = 0;
  #queued = '';
  #scheduled = false;
  #waitingForDrain = false;
  #open = true;
  #wroteSinceBeat = false;
  #drainWaiters: (() => void)[] | undefined;
  readonly #onClose = () => this.#close();

  constructor(res: ServerResponse, options: SseWriterOptions) {
    this.#res = res;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#stalledReaderMs = options.stalledReaderMs ?? DEFAULT_STALLED_READER_MS;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // No `connection` header of our own: Node says keep-alive by itself, and closes when the client asked it to
      // (`Connection: close`, HTTP/1.0), which a forced `keep-alive` would override (RFC 9112 §9.6).
      ...options.headers,
    });
    res.flushHeaders();
    register(this, options.heartbeatMs);
    res.on('close', this.#onClose);
    res.on('error', this.#onClose);
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /**
   * The writer is its own stop signal (`StopSignal`): `aborted` once the response is over, and an 'abort'
   * event when the client goes away (or the writer gave up on a stuck client), not when it was ended normally.
   */
  get aborted(): boolean {
    return !this.#open;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.#goneListeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.#goneListeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.#goneListeners!.splice(index, 1);
  }

  /** Writes frames: the first of a turn at once, the rest of that turn coalesced into one socket write. */
  write(frames: string): void {
    if (!this.#open || frames === '') return;
    if (!this.#scheduled && !this.#waitingForDrain) {
      // First frames of this turn: out at once (the first event is what a user waits for, and a paced
      // token is alone in its turn anyway); the rest of the turn coalesces into one write on the next.
      this.#scheduled = true;
      setImmediate(flushWriter, this);
      this.#send(frames);
      return;
    }
    this.#queued += frames;
    // Only while the socket is full: without that, the queue goes out on this turn's flush however large one
    // event is, and a reader that keeps up must not be dropped for a big event.
    if (this.#waitingForDrain && this.#queued.length > this.#maxBuffered) {
      // The client stopped reading: drop it rather than hold its backlog in memory.
      this.#res.destroy();
      this.#close();
    }
    // Otherwise a flush is already due: scheduled this turn, or when the socket drains.
  }

  /** Writes what is queued and ends the response. */
  end(frames = ''): void {
    if (!this.#open) return;
    const rest = this.#queued + frames;
    this.#queued = '';
    this.#open = false;
    unregister(this);
    this.#res.end(rest);
    // Still watched for a stall while the last frames go out; progress counts from what they added.
    if (this.#stalledSince !== 0) this.#pendingAtStall = this.#res.writableLength;
    this.#releaseDrainWaiters();
  }

  /**
   * While frames wait (for the socket to drain, or 64 KiB and more for this turn's coalesced write), a promise that
   * settles once they are out or the client went away; undefined otherwise. A replay waits on it; live events never do.
   * An arrow property so it can be handed over as a callback.
   */
  whenDrained = (): Promise<void> | undefined => {
    // Behind: the socket is full, or this turn's coalesced write has grown large (a replay must let it go out).
    if (!this.#open || (!this.#waitingForDrain && this.#queued.length < COALESCE_LIMIT)) return undefined;
    return new Promise<void>((resolve) => (this.#drainWaiters ??= []).push(resolve));
  };

  /** Called by the shared heartbeat timer. */
  heartbeat(): void {
    if (!this.#open) return;
    if (this.#wroteSinceBeat) {
      this.#wroteSinceBeat = false;
      return;
    }
    if (!this.#waitingForDrain) this.#res.write(SSE_HEARTBEAT);
  }

  /**
   * Called by the shared stall timer: drops a client that has taken nothing for `stalledReaderMs` while its socket is
   * full. Progress is any byte leaving the response's buffers, not only a 'drain', so a reader that reads slowly (or a
   * response whose last frames are going out after `end`) is not mistaken for a stalled one.
   */
  checkStall(now: number): void {
    if (this.#stalledSince === 0) return;
    const pending = this.#res.writableLength;
    if (pending < this.#pendingAtStall) {
      this.#pendingAtStall = pending;
      this.#stalledSince = now;
      return;
    }
    if (now - this.#stalledSince < this.#stalledReaderMs) return;
    this.#stalledSince = 0;
    unwatchStall(this);
    this.#res.destroy();
    this.#close();
  }

  /** Called at the end of the turn in which frames were first written: sends what the turn queued after them. */
  flushQueued(): void {
    this.#scheduled = false;
    if (this.#open && !this.#waitingForDrain && this.#queued !== '') {
      const chunk = this.#queued;
      this.#queued = '';
      this.#send(chunk);
    }
    if (!this.#waitingForDrain) this.#releaseDrainWaiters();
  }

  #send(chunk: string): void {
    this.#wroteSinceBeat = true;
    if (!this.#res.write(chunk)) {
      this.#waitingForDrain = true;
      this.#stalledSince = Date.now();
      this.#pendingAtStall = this.#res.writableLength;
      watchStall(this, this.#stalledReaderMs);
      this.#res.once('drain', () => {
        this.#waitingForDrain = false;
        this.#stalledSince = 0;
        unwatchStall(this);
        this.flushQueued();
      });
    }
  }

  #close(): void {
    // The response is over (also after `end`): nothing left to watch.
    if (this.#stalledSince !== 0) {
      this.#stalledSince = 0;
      unwatchStall(this);
    }
    if (!this.#open) return;
    this.#open = false;
    unregister(this);
    this.#releaseDrainWaiters();
    const listeners = this.#goneListeners;
    this.#goneListeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  #releaseDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    if (!waiters) return;
    this.#drainWaiters = undefined;
    for (const resolve of waiters) resolve();
  }
}

/**
 * Ends every open stream cleanly, without a terminal event (shutdown): clients see a finished response, not a
 * reset, reconnect (to another instance, or this one once it is back) and resume with Last-Event-ID.
 * Returns how many it ended.
 */
export function endOpenSseWriters(): number {
  const writers = [...openWriters] as SseWriter[];
  for (const writer of writers) if (writer.isOpen) writer.end();
  return writers.length;
}
