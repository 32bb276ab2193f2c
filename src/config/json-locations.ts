/**
 * Finds the line of each value in a JSON text, keyed by its path (`agents.2.tools.1`), so a config error
 * can name the line. Assumes the text already parsed with JSON.parse; it only walks it again.
 */
export function jsonLineIndex(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let index = 0;
  let line = 1;

  const skipSpace = () => {
    while (index < text.length) {
      const char = text[index];
      if (char === '\n') line += 1;
      else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      index += 1;
    }
  };
  const readString = (): string => {
    const start = index;
    index += 1;
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    index += 1;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const value = (path: string) => {
    skipSpace();
    lines.set(path, line);
    const char = text[index];
    if (char === '{') {
      index += 1;
      skipSpace();
      if (text[index] === '}') { index += 1; return; }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        index += 1; // ':'
        value(path === '' ? key : `${path}.${key}`);
        skipSpace();
        if (text[index++] === '}') return;
      }
    }
    if (char === '[') {
      index += 1;
      skipSpace();
      if (text[index] === ']') { index += 1; return; }
      for (let item = 0; ; item += 1) {
        value(path === '' ? String(item) : `${path}.${item}`);
        skipSpace();
        if (text[index++] === ']') return;
      }
    }
    if (char === '"') { readString(); return; }
    while (index < text.length && !/[\s,\]}]/.test(text[index])) index += 1;
  };
  value('');
  return lines;
}
