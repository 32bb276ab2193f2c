import { formatSseFrame } from '../sse.ts';
import type { StreamRenderer } from '../stream-renderer.ts';
import { createChatChunkMapper, type ChatChunkContext } from './chat-chunk-mapper.ts';
import { runFailureToOpenAi } from './to-openai-error.ts';

const DONE = 'data: [DONE]\n\n';

/** A chunk or error object as one SSE frame: `data: <json>` and a blank line. */
export function formatChatFrame(data: unknown): string {
  return formatSseFrame({ data: JSON.stringify(data) });
}

/**
 * The `stream: true` renderer: chunks, then `data: [DONE]`. A run that fails ends with one OpenAI error
 * object (`data: {"error": {...}}`, which the official clients raise as an APIError) and no `[DONE]`.
 */
export function createChatStreamRenderer(context: ChatChunkContext): StreamRenderer {
  const mapper = createChatChunkMapper(context);
  let failed = false;
  return {
    render: (event) => mapper.map(event).map((item) => {
      if (item.kind === 'chunk') return formatChatFrame(item.chunk);
      failed = true;
      return formatChatFrame(item.body);
    }).join(''),
    close: () => (failed ? '' : DONE),
    fail: (error) => formatChatFrame(runFailureToOpenAi(error).body),
  };
}
