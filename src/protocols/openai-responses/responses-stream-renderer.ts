import { formatSseFrame } from '../sse.ts';
import type { StreamRenderer } from '../stream-renderer.ts';
import { createResponsesMapper, type ResponseContext, type ResponseStreamEvent } from './responses-event-mapper.ts';

/** One Responses streaming event as an SSE frame: `event: <type>` and its JSON (OpenAI sends both). */
export function formatResponseEvent(event: ResponseStreamEvent): string {
  return formatSseFrame({ event: event.type, data: JSON.stringify(event) });
}

/**
 * The `stream: true` renderer. It always reads the run from its first event (numbering is derived from the
 * whole run) and writes only the events after `startingAfter`: a resumed stream (`GET /responses/{id}
 * ?stream=true&starting_after=N`) continues exactly where the client's last `sequence_number` left off.
 * There is no `[DONE]`: the terminal event (completed, failed or incomplete) ends the stream.
 */
export function createResponsesStreamRenderer(context: ResponseContext, options: { startingAfter?: number } = {}): StreamRenderer {
  const mapper = createResponsesMapper(context);
  const after = options.startingAfter ?? -1;
  let last = after;
  return {
    render: (event) => mapper.map(event).filter((item) => item.sequence_number > after).map((item) => {
      last = item.sequence_number;
      return formatResponseEvent(item);
    }).join(''),
    // The store broke after the stream opened: an `error` event, as OpenAI sends for a stream-level failure.
    fail: (error) => formatSseFrame({ event: 'error', data: JSON.stringify({ type: 'error', code: error.code, message: error.message, param: null, sequence_number: last + 1 }) }),
  };
}
