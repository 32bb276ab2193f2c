import type { ServerResponse } from 'node:http';
import { SSE_HEARTBEAT } from '../protocols/sse.ts';

export type SseWriter = {
  /** Writes frames: the first of a turn at once, the rest of that turn coalesced into one socket write. */
  write(frames: string): void;
  /** Writes what is queued and ends the response. */
  end(frames?: string): void;
  /**
   * While frames wait (for the socket to drain, or 64 KiB and more for this turn's coalesced write), a promise that
   * settles once they are out or the client went away; undefined otherwise. A replay waits on it; live events never do.
   */
  whenDrained(): Promise<void> | undefined;
  /** Fires when the client goes away (or the writer gave up on a stuck client). */
  readonly signal: AbortSignal;
  readonly isOpen: boolean;
};

export type SseWriterOptions = {
  headers: Record<string, string | number | string[]>;
  heartbeatMs: number;
  /** A client that stops reading is dropped past this many queued bytes; it can resume with Last-Event-ID. */
  maxBufferedBytes?: number;
};

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

/**
 * Opens an SSE response on a raw Node response: the headers at once, then coalesced writes that respect
 * backpressure, heartbeats while idle, and an abort signal when the client disconnects.
 */
export function openSseWriter(res: ServerResponse, options: SseWriterOptions): SseWriter {
  const controller = new AbortController();
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  let queued = '';
  let scheduled = false;
  let waitingForDrain = false;
  let open = true;
  let wroteSinceBeat = false;
  let drainWaiters: (() => void)[] = [];
  const releaseDrainWaiters = () => {
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  };

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    // No `connection` header of our own: Node says keep-alive by itself, and closes when the client asked it to
    // (`Connection: close`, HTTP/1.0), which a forced `keep-alive` would override (RFC 9112 §9.6).
    ...options.headers,
  });
  res.flushHeaders();

  const close = () => {
    if (!open) return;
    open = false;
    unregister(writer);
    controller.abort();
    releaseDrainWaiters();
  };
  const send = (chunk: string) => {
    wroteSinceBeat = true;
    if (!res.write(chunk)) {
      waitingForDrain = true;
      res.once('drain', () => {
        waitingForDrain = false;
        flush();
      });
    }
  };
  const flush = () => {
    scheduled = false;
    if (open && !waitingForDrain && queued !== '') {
      const chunk = queued;
      queued = '';
      send(chunk);
    }
    if (!waitingForDrain) releaseDrainWaiters();
  };
  const writer = {
    heartbeat() {
      if (!open) return;
      if (wroteSinceBeat) {
        wroteSinceBeat = false;
        return;
      }
      if (!waitingForDrain) res.write(SSE_HEARTBEAT);
    },
  };
  register(writer, options.heartbeatMs);
  res.on('close', close);
  res.on('error', close);

  return {
    write(frames) {
      if (!open || frames === '') return;
      if (!scheduled && !waitingForDrain) {
        // First frames of this turn: out at once (the first event is what a user waits for, and a paced
        // token is alone in its turn anyway); the rest of the turn coalesces into one write on the next.
        scheduled = true;
        setImmediate(flush);
        send(frames);
        return;
      }
      queued += frames;
      // Only while the socket is full: without that, the queue goes out on this turn's flush however large one
      // event is, and a reader that keeps up must not be dropped for a big event.
      if (waitingForDrain && queued.length > maxBuffered) {
        // The client stopped reading: drop it rather than hold its backlog in memory.
        res.destroy();
        close();
      }
      // Otherwise a flush is already due: scheduled this turn, or when the socket drains.
    },
    end(frames = '') {
      if (!open) return;
      const rest = queued + frames;
      queued = '';
      open = false;
      unregister(writer);
      res.end(rest);
      releaseDrainWaiters();
    },
    whenDrained() {
      // Behind: the socket is full, or this turn's coalesced write has grown large (a replay must let it go out).
      if (!open || (!waitingForDrain && queued.length < COALESCE_LIMIT)) return undefined;
      return new Promise<void>((resolve) => drainWaiters.push(resolve));
    },
    get signal() {
      return controller.signal;
    },
    get isOpen() {
      return open;
    },
  };
}
