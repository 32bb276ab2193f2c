const NEWLINE = 0x0a;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
// `data: [` starts a frame whose data is not a JSON object: the `[DONE]` sentinel of the AI SDK and Mastra.
const SENTINEL_OFFSET = 6;

/**
 * Counts the event frames of an SSE byte stream without decoding it: a frame ends at a blank line;
 * comment frames (`: keep-alive`) and `data: [DONE]` sentinels are not events. Assumes `\n` line
 * ends, which every server here writes. Cheap enough to keep the load generator off the critical path.
 */
export class SseFrameCounter {
  events = 0;
  bytes = 0;
  #previousWasNewline = false;
  #framePosition = 0;
  #frameIsEvent = true;

  /** Feeds one chunk; returns how many event frames it completed. */
  push(chunk: Buffer): number {
    this.bytes += chunk.length;
    const before = this.events;
    let start = 0;
    if (this.#previousWasNewline && chunk.length > 0 && chunk[0] === NEWLINE) {
      this.#endFrame();
      start = 1;
    }
    while (start < chunk.length) {
      this.#lookAtFrameStart(chunk, start);
      const end = chunk.indexOf('\n\n', start);
      if (end < 0) {
        this.#framePosition += chunk.length - start;
        break;
      }
      this.#endFrame();
      start = end + 2;
    }
    this.#previousWasNewline = chunk.length > 0 && chunk[chunk.length - 1] === NEWLINE;
    // A chunk ending in `\n\n` was consumed above; its last newline must not start another boundary.
    if (start === chunk.length && start > 0 && chunk[start - 1] === NEWLINE && chunk[start - 2] === NEWLINE) this.#previousWasNewline = false;
    return this.events - before;
  }

  #lookAtFrameStart(chunk: Buffer, start: number): void {
    // Only the first bytes of a frame decide what it is; they may arrive split across chunks.
    for (let offset = this.#framePosition; offset <= SENTINEL_OFFSET; offset += 1) {
      const index = start + offset - this.#framePosition;
      if (index >= chunk.length) return;
      const byte = chunk[index];
      if (offset === 0 && byte === COLON) this.#frameIsEvent = false;
      if (offset === SENTINEL_OFFSET && byte === OPEN_BRACKET) this.#frameIsEvent = false;
    }
  }

  #endFrame(): void {
    if (this.#frameIsEvent) this.events += 1;
    this.#frameIsEvent = true;
    this.#framePosition = 0;
  }
}
