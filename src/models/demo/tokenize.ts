/**
 * Splits text into word-sized deltas: each piece is one run of non-space characters plus the
 * whitespace after it. Joining the pieces gives back `text` exactly.
 */
export function tokenize(text: string): string[] {
  const pieces = text.match(/\S+\s*/g) ?? [];
  const leading = /^\s+/.exec(text)?.[0];
  if (leading) {
    // Leading whitespace would otherwise be lost; it rides on the first word.
    if (pieces.length === 0) return [leading];
    pieces[0] = leading + pieces[0];
  }
  return pieces;
}

/** Number of word-sized deltas `text` streams as. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}
