import type { EventSourceMessage } from 'eventsource-parser';
import { readSse } from '../../../client/read-sse.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';

/** Every SSE frame of a response until it ends. */
export async function collectFrames(response: Response): Promise<EventSourceMessage[]> {
  const frames: EventSourceMessage[] = [];
  await readSse(response, (frame) => frames.push(frame));
  return frames;
}

/** The native stream's run events, checked to be what their frames claim (id = seq, event = type). */
export async function collectRunEvents(response: Response): Promise<RunEvent[]> {
  const frames = await collectFrames(response);
  return frames.map((frame) => {
    const event = JSON.parse(frame.data) as RunEvent;
    if (frame.id !== String(event.seq) || frame.event !== event.type) throw new Error(`Frame ${frame.id}/${frame.event} does not match its event ${event.seq}/${event.type}`);
    return event;
  });
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
