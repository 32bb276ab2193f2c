import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads an SSE response body, calling `onMessage` per frame. Resolves when the body ends, rejects when the
 * connection breaks. Works in browsers and Node (fetch + ReadableStream).
 */
export async function readSse(response: Response, onMessage: (message: EventSourceMessage) => void): Promise<void> {
  if (!response.body) throw new Error('The response has no body.');
  const parser = createParser({ onEvent: onMessage });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  } finally {
    reader.releaseLock();
  }
}
