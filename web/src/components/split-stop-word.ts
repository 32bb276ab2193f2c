/**
 * A group chat member ends its last message with the stop phrase on its own line ("TERMINATE"), as
 * AutoGen agents do. It is a signal to the team, not part of the answer: shown as a small badge instead.
 */
export function splitStopWord(text: string): { text: string; stopWord?: string } {
  const match = /(?:^|\n)\s*([A-Z][A-Z_]{3,})\s*$/.exec(text);
  if (!match || !/^(?:TERMINATE|APPROVE|DONE|STOP|FINISHED|END)$/.test(match[1])) return { text };
  return { text: text.slice(0, match.index).trimEnd(), stopWord: match[1] };
}
