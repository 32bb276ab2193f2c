/**
 * True when JSON `text` nests arrays/objects more than `limit` levels deep. A linear scan of the text, no
 * recursion, so it is safe on any input: `JSON.parse` copes with 100k levels, but `JSON.stringify` (the store,
 * the renderers) overflows the stack on a few thousand, so such bodies are refused at the edge.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  // Every level costs at least one character.
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return false;
}
