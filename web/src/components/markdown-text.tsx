import type { ReactNode } from 'react';

/**
 * A small, safe Markdown subset for agent text: paragraphs, `-`/`1.` lists, `#` headings, **bold**,
 * _italic_, `code` and fenced code blocks. It builds React elements, never HTML strings.
 */
export function MarkdownText({ text, className }: { text: string; className?: string }) {
  return <div className={`markdown ${className ?? ''}`}>{renderBlocks(text)}</div>;
}

function renderBlocks(text: string): ReactNode[] {
  const blocks: ReactNode[] = [];
  const lines = text.split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !lines[index].startsWith('```')) code.push(lines[index++]);
      index += 1;
      blocks.push(<pre key={blocks.length}><code>{code.join('\n')}</code></pre>);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push(<p key={blocks.length} className={`md-heading md-h${heading[1].length}`}>{renderInline(heading[2])}</p>);
      index += 1;
      continue;
    }
    const listKind = listKindOf(line);
    if (listKind) {
      const items: string[] = [];
      while (index < lines.length && listKindOf(lines[index]) === listKind) items.push(lines[index++].replace(/^\s*(?:[-*]|\d+\.)\s+/, ''));
      const children = items.map((item, itemIndex) => <li key={itemIndex}>{renderInline(item)}</li>);
      blocks.push(listKind === 'ordered' ? <ol key={blocks.length}>{children}</ol> : <ul key={blocks.length}>{children}</ul>);
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length && lines[index].trim() !== '' && !listKindOf(lines[index]) && !lines[index].startsWith('```') && !/^#{1,4}\s/.test(lines[index])) paragraph.push(lines[index++]);
    blocks.push(<p key={blocks.length}>{renderInline(paragraph.join(' '))}</p>);
  }
  return blocks;
}

function listKindOf(line: string): 'ordered' | 'bullet' | undefined {
  if (/^\s*[-*]\s+/.test(line)) return 'bullet';
  if (/^\s*\d+\.\s+/.test(line)) return 'ordered';
  return undefined;
}

const INLINE = /(\*\*[^*]+\*\*|`[^`]+`|(?<![\w])_[^_]+_(?![\w]))/g;

function renderInline(text: string): ReactNode[] {
  return text.split(INLINE).filter((part) => part !== '').map((part, index) => {
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={index}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code key={index}>{part.slice(1, -1)}</code>;
    if (part.startsWith('_') && part.endsWith('_') && part.length > 2) return <em key={index}>{part.slice(1, -1)}</em>;
    return part;
  });
}
