import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactNode, RefObject } from 'react';

/**
 * A vertical list that renders plainly while short and virtualises (only the visible rows in the DOM)
 * once it passes `threshold`, so long transcripts stay fast. Rows may have any height; they are measured.
 */
export function VirtualStack<T>(props: {
  items: readonly T[];
  getKey: (item: T, index: number) => string;
  render: (item: T, index: number) => ReactNode;
  scrollRef: RefObject<HTMLElement | null>;
  estimateSize?: number;
  threshold?: number;
  className?: string;
}) {
  const { items, getKey, render, className } = props;
  if (items.length <= (props.threshold ?? 80)) {
    return <div className={className}>{items.map((item, index) => <div key={getKey(item, index)} className="stack-row">{render(item, index)}</div>)}</div>;
  }
  return <VirtualRows {...props} />;
}

function VirtualRows<T>({ items, getKey, render, scrollRef, estimateSize = 120, className }: Parameters<typeof VirtualStack<T>>[0]) {
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan: 6,
    getItemKey: (index) => getKey(items[index], index),
  });
  return (
    <div className={className} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
      {virtualizer.getVirtualItems().map((row) => (
        <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="stack-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}>
          {render(items[row.index], row.index)}
        </div>
      ))}
    </div>
  );
}
