import { EventType, type Event as AgUiEvent } from '@ag-ui/core';
import { formatSseFrame } from '../sse.ts';
import type { StreamRenderer } from '../stream-renderer.ts';
import { createAgUiEventMapper, type AgUiRunContext } from './ag-ui-event-mapper.ts';

/** One AG-UI event as the HTTP transport frames it: `data: <json>` and a blank line, no `event:` or `id:`. */
export function formatAgUiFrame(event: AgUiEvent): string {
  return formatSseFrame({ data: JSON.stringify(event) });
}

/**
 * The AG-UI SSE renderer (https://docs.ag-ui.com/concepts/architecture#transport). A stream that breaks
 * outside the run (the store failed) still ends with RUN_ERROR, so the client's run settles.
 */
export function createAgUiRenderer(context: AgUiRunContext): StreamRenderer {
  const mapper = createAgUiEventMapper(context);
  return {
    render: (event) => mapper.map(event).map(formatAgUiFrame).join(''),
    fail: (error) => formatAgUiFrame({ type: EventType.RUN_ERROR, message: error.message, code: error.code }),
  };
}
