import type { UIMessageChunk } from 'ai';
import { formatSseFrame } from '../sse.ts';
import type { StreamRenderer } from '../stream-renderer.ts';
import { createUiChunkMapper, type UiChunkMapperOptions } from './ui-chunk-mapper.ts';

/** The header that tells `useChat` the body is a UI message stream (https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol). */
export const UI_MESSAGE_STREAM_HEADERS = { 'x-vercel-ai-ui-message-stream': 'v1' } as const;

/** The stream's last line, after the terminal chunk. */
export const UI_MESSAGE_STREAM_DONE = 'data: [DONE]\n\n';

/** One chunk as the protocol frames it: `data: <json>` and a blank line. */
export function formatUiChunk(chunk: UIMessageChunk): string {
  return formatSseFrame({ data: JSON.stringify(chunk) });
}

/** The UI message stream renderer: chunks per event, `[DONE]` after the terminal one. */
export function createAiSdkUiRenderer(options: UiChunkMapperOptions = {}): StreamRenderer {
  const mapper = createUiChunkMapper(options);
  return {
    headers: { ...UI_MESSAGE_STREAM_HEADERS },
    render: (event) => mapper.map(event).map(formatUiChunk).join(''),
    close: () => UI_MESSAGE_STREAM_DONE,
    fail: (error) => formatUiChunk({ type: 'error', errorText: error.message }) + UI_MESSAGE_STREAM_DONE,
  };
}
