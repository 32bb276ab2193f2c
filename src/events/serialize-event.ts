import type { RunEvent } from './run-event.ts';

// One event is serialised once and the bytes reused by the store, the bus and every native stream.
const cache = new WeakMap<RunEvent, string>();

/** JSON text of an event, computed at most once per event object. */
export function serializeEvent(event: RunEvent): string {
  let json = cache.get(event);
  if (json === undefined) {
    json = JSON.stringify(event);
    cache.set(event, json);
  }
  return json;
}

/** Parses stored or received event JSON and remembers its text, so re-sending it costs no stringify. */
export function deserializeEvent(json: string): RunEvent {
  const event = JSON.parse(json) as RunEvent;
  cache.set(event, json);
  return event;
}
