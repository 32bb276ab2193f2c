/**
 * Splits received SSE text into whole frames and the rest. A frame ends at a blank line (the spec allows
 * `\n`, `\r\n` and `\r` line ends); each frame keeps its terminating blank line, so joining the frames and
 * the rest gives back exactly the text received. https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export function splitSseFrames(text: string): { frames: string[]; rest: string } {
  const frames: string[] = [];
  const end = /\r\n\r\n|\n\n|\r\r|\r\n\n|\n\r\n/g;
  let start = 0;
  for (let match = end.exec(text); match; match = end.exec(text)) {
    const frameEnd = match.index + match[0].length;
    // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
    if (frameEnd === text.length && match[0].endsWith('\r')) break;
    frames.push(text.slice(start, frameEnd));
    start = frameEnd;
  }
  return { frames, rest: text.slice(start) };
}
