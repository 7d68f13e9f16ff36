import { useLayoutEffect, useState, type RefObject } from 'react';

/** True while the element is narrower than `below` CSS pixels (follows window and panel resizes). */
export function useNarrow(ref: RefObject<HTMLElement | null>, below: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setNarrow(el.clientWidth < below);
    const observer = new ResizeObserver(() => setNarrow(el.clientWidth < below));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, below]);
  return narrow;
}
