import { readSse } from '../../../client/read-sse.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';

/** A native stream read as it arrives: what came so far, a wait for a given event, and its end. */
export type LiveStream = {
  events: RunEvent[];
  /** Resolves with the first event (already received or still to come) that matches; rejects if the stream ends first. */
  waitFor(match: (event: RunEvent) => boolean): Promise<RunEvent>;
  /** Resolves with every event once the server ends the stream. */
  ended: Promise<RunEvent[]>;
  close(): void;
};

/** Reads the native SSE of `response` live (frames are checked: id = seq, event = type). */
export function readLive(response: Response, controller = new AbortController()): LiveStream {
  const events: RunEvent[] = [];
  const waiters: { match: (event: RunEvent) => boolean; resolve: (event: RunEvent) => void; reject: (error: Error) => void }[] = [];
  let finished = false;
  const ended = readSse(response, (frame) => {
    const event = JSON.parse(frame.data) as RunEvent;
    if (frame.id !== String(event.seq) || frame.event !== event.type) throw new Error(`Frame ${frame.id}/${frame.event} does not match its event ${event.seq}/${event.type}`);
    events.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.match(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  }).then(() => events).finally(() => {
    finished = true;
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`The stream ended before the awaited event (got ${events.map((event) => event.type).join(', ')})`));
  });
  ended.catch(() => {});
  return {
    events,
    ended,
    waitFor(match) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      if (finished) return Promise.reject(new Error('The stream has ended'));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    close: () => controller.abort(),
  };
}

/** Starts a native streamed run and reads it live. */
export async function startLive(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<LiveStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: controller.signal });
  if (response.status !== 200) throw new Error(`POST /v1/runs answered ${response.status}: ${await response.text()}`);
  return readLive(response, controller);
}
