import { serializeEvent } from '../../events/serialize-event.ts';
import type { RunEvent } from '../../events/run-event.ts';
import type { StreamRenderer } from '../stream-renderer.ts';

/**
 * The native wire format: `id: <seq>`, `event: <type>`, `data: <RunEvent JSON>`. The id is the seq, so
 * `Last-Event-ID` is all a client needs to resume. The JSON is the one the store wrote, never re-made.
 */
export function renderNativeFrame(event: RunEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${serializeEvent(event)}\n\n`;
}

export function createNativeRenderer(): StreamRenderer {
  return { render: renderNativeFrame };
}
