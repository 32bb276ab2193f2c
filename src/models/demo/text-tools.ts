/**
 * Small text helpers shared by the answer composers.
 */

/** At most `maxWords` words of `text`, with an ellipsis when something was cut. */
export function limitWords(text: string, maxWords: number): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length <= maxWords) return words.join(' ');
  return `${words.slice(0, maxWords).join(' ').replace(/[,;:.]+$/, '')}…`;
}

/** The first sentence of `text` that has at least `minWords` words, with markdown markers removed. */
export function firstSentence(text: string, minWords = 3): string {
  const lines = text.split(/\r?\n/).map(plainLine).filter((line) => line !== '' && !line.endsWith(':'));
  const sentences = lines.flatMap((line) => line.split(/(?<=[.!?])\s+/));
  return sentences.find((sentence) => sentence.split(/\s+/).length >= minWords) ?? sentences[0] ?? '';
}

/** Ends `text` with a full stop unless it already ends with punctuation. */
export function endSentence(text: string): string {
  return /[.!?…:]$/.test(text) ? text : `${text}.`;
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Upper-cases the first letter. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Parses text that looks like JSON; anything else comes back unchanged. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function plainLine(line: string): string {
  return line
    .replace(/^\s*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+|>\s*)/, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^_\(demo \(simulated\) model.*\)_$/, '') // our own label line, when a member's answer is quoted
    .replace(/^[A-Z][A-Z0-9_]+$/, '') // a lone stop word such as TERMINATE
    .trim();
}
