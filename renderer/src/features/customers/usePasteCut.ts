import { useState } from 'react';

/**
 * A search box with maxLength cuts a long paste silently. This measures what was pasted so the box
 * can say that only the first `max` characters were kept; `onValue` forgets it once the agent has
 * edited the text down or cleared it.
 */
export function usePasteCut(max: number) {
  const [cut, setCut] = useState<number | null>(null);
  const onPaste = (e: React.ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text').length;
    const el = e.currentTarget;
    const room = max - (el.value.length - ((el.selectionEnd ?? 0) - (el.selectionStart ?? 0)));
    setCut(pasted > room ? pasted : null);
  };
  const onValue = (value: string) => {
    if (value.length < max) setCut(null);
  };
  const message = cut ? `You pasted ${cut.toLocaleString()} characters; the search keeps the first ${max}. Paste just the name, email, id or number to look for.` : null;
  return { message, onPaste, onValue };
}
