import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/** Keeps a scroll container pinned to its end while content grows, unless the reader has scrolled up. */
export function useStickToBottom(scrollRef: RefObject<HTMLElement | null>, contentVersion: unknown): void {
  const isPinnedRef = useRef(true);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const update = () => {
      isPinnedRef.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    };
    element.addEventListener('scroll', update, { passive: true });
    return () => element.removeEventListener('scroll', update);
  }, [scrollRef]);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && isPinnedRef.current) element.scrollTop = element.scrollHeight;
  }, [scrollRef, contentVersion]);
}
